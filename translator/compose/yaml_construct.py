"""Plain Python values from the precise path's node tree, and ``<<`` merge keys.

Construction is iterative and expands every alias into a fresh copy. Before that,
:func:`expanded_size_check` measures the expanded size and depth once per distinct node
(time proportional to the text), so an alias bomb ("billion laughs", more than
``MAX_NODES`` nodes) is refused before any work or memory is spent on it.
Merge keys (https://yaml.org/type/merge.html) are applied the way go-yaml v3 does:
explicit keys always win, and in ``<<: [*a, *b]`` earlier maps win over later ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from translator.compose.yaml_nodes import MAPPING, MAX_DEPTH, SCALAR, SEQUENCE, Node, yaml_error
from translator.compose.yaml_scalars import resolve_plain, resolve_tagged
from translator.errors import TranslatorError

MAX_NODES = 1_000_000
MERGE_TAGS = ("!reset", "!override")
_CORE = "tag:yaml.org,2002:"
_SCALAR_TAGS = {"str", "int", "float", "bool", "null", "binary", "timestamp"}


@dataclass(frozen=True, slots=True)
class Tagged:
    """A node carrying one of Compose's merge tags (``!reset`` / ``!override``)."""

    tag: str
    value: Any


class MergeKey:
    """The key of a ``<<`` merge entry while a mapping is being built."""

    __slots__ = ("col", "line")

    def __init__(self, line: int = 0, col: int = 0) -> None:
        self.line = line
        self.col = col


class MergeError(ValueError):
    """A ``<<`` value that is not a mapping or a list of mappings."""

    def __init__(self, key: object) -> None:
        super().__init__("merge")
        self.key = key


def construct(root: Node | None, filename: str) -> Any:
    """Plain data for one document; raises TranslatorError on bad tags and duplicates.

    Size and depth are bounded beforehand: by the builder (text nesting) and by
    :func:`expanded_size_check` (aliases), which callers run first when there are aliases.
    """
    if root is None:
        return None
    out: list[Any] = [None]
    merging: list[dict[Any, Any]] = []
    tasks: list[tuple[Node, Any, Any]] = [(root, out, 0)]
    while tasks:
        node, container, slot = tasks.pop()
        container[slot] = _shallow(node, filename, tasks, merging)
    try:
        apply_merges(merging, None)
    except MergeError as exc:
        key = exc.key
        assert isinstance(key, MergeKey)
        raise yaml_error(
            "the value of a '<<' merge key must be a mapping or a list of mappings",
            filename,
            key.line,
            key.col,
            hint="merge an anchored mapping: '<<: *name' or '<<: [*a, *b]'",
        ) from None
    return out[0]


def _too_big(node: Node, filename: str, nodes: bool) -> Exception:
    if nodes:
        message = f"YAML aliases expand to more than {MAX_NODES:,} nodes (an alias bomb?)"
        hint = "reduce the number of nested aliases (*name) in the file"
    else:
        message = f"YAML nesting (with aliases expanded) is deeper than {MAX_DEPTH} levels"
        hint = "compose files never need this much nesting; flatten the structure"
    return yaml_error(message, filename, node.line, node.col, hint=hint)


def _shallow(node: Node, filename: str, tasks: list[Any], merging: list[dict[Any, Any]]) -> Any:
    """The value of ``node``; untagged scalar children are filled in, others queued."""
    tag = node.tag
    if tag is not None and tag not in MERGE_TAGS:
        _check_tag(node, filename)
    value: Any
    if node.kind == SCALAR:
        value = _scalar(node, filename)
    elif node.kind == SEQUENCE:
        value = [None] * len(node.items)
        for index, item in enumerate(node.items):
            if item.kind == SCALAR and item.tag is None:
                value[index] = resolve_plain(item.value) if item.plain else item.value
            else:
                tasks.append((item, value, index))
    else:
        value = _mapping(node, filename, tasks)
        if any(isinstance(key, MergeKey) for key in value):
            merging.append(value)
    return value if tag is None or tag not in MERGE_TAGS else Tagged(tag, value)


def _scalar(node: Node, filename: str) -> Any:
    tag = node.tag
    if tag is None or tag in MERGE_TAGS:
        return resolve_plain(node.value) if node.plain else node.value
    if tag == "!":
        return node.value
    try:
        return resolve_tagged(tag, node.value)
    except ValueError as exc:
        raise yaml_error(
            f"{exc}", filename, node.line, node.col, hint="fix the value or remove the tag"
        ) from None


def _check_tag(node: Node, filename: str) -> None:
    tag = node.tag or ""
    name = tag[len(_CORE) :] if tag.startswith(_CORE) else None
    allowed = {SCALAR: _SCALAR_TAGS, SEQUENCE: {"seq"}, MAPPING: {"map"}}[node.kind]
    if tag == "!" or (name is not None and name in allowed):
        return
    shown = f"!!{name}" if name is not None else tag
    raise yaml_error(
        f"unsupported YAML tag '{shown}'",
        filename,
        node.line,
        node.col,
        hint="only the core tags (!!str, !!int, !!float, !!bool, !!null, !!map, !!seq) "
        "and Compose's !reset and !override are allowed; remove the tag",
    )


def _mapping(node: Node, filename: str, tasks: list[Any]) -> dict[Any, Any]:
    value: dict[Any, Any] = {}
    items = node.items
    merge_seen = False
    for index in range(0, len(items) - 1, 2):
        key_node, child = items[index], items[index + 1]
        key = _key(key_node, filename)
        # go-yaml compares keys by their text, so '<<' may appear only once.
        if isinstance(key, MergeKey):
            if merge_seen:
                raise _duplicate(node, key_node, key, filename)
            merge_seen = True
        elif key in value:
            raise _duplicate(node, key_node, key, filename)
        if child.kind == SCALAR and child.tag is None:
            value[key] = resolve_plain(child.value) if child.plain else child.value
        else:
            value[key] = None
            tasks.append((child, value, key))
    return value


def _duplicate(node: Node, key_node: Node, key: Any, filename: str) -> TranslatorError:
    first = next(k for k in node.items[::2] if _same_key(k, key, filename))
    shown = "'<<'" if isinstance(key, MergeKey) else f'"{key}"'
    return yaml_error(
        f"duplicate key {shown} (first defined at line {first.line})",
        filename,
        key_node.line,
        key_node.col,
        hint="remove or rename one of the two entries",
    )


def _same_key(node: Node, key: Any, filename: str) -> bool:
    found = _key(node, filename)
    if isinstance(key, MergeKey):
        return isinstance(found, MergeKey)
    return not isinstance(found, MergeKey) and bool(found == key)


def _key(node: Node, filename: str) -> Any:
    if node.kind != SCALAR or node.tag in MERGE_TAGS:
        raise yaml_error(
            "mapping keys must be plain scalars (strings or numbers)",
            filename,
            node.line,
            node.col,
            hint="use a string key; complex and tagged keys are not supported",
        )
    if node.value == "<<" and ((node.plain and node.tag is None) or node.tag == _CORE + "merge"):
        return MergeKey(node.line, node.col)
    if node.tag == _CORE + "merge":
        raise yaml_error("!!merge is only valid on a '<<' key", filename, node.line, node.col)
    key = _scalar(node, filename)
    if key.__hash__ is None:
        raise yaml_error("mapping key is not hashable", filename, node.line, node.col)
    return key


def apply_merges(merging: list[dict[Any, Any]], plain_key: str | None) -> None:
    """Resolve ``<<`` entries in place; ``merging`` lists the maps in creation (pre-)order.

    Children are created after their parents, so walking the list backwards merges every
    source map before it is merged into another. ``plain_key`` is ``"<<"`` for data from
    the fast path (where the key is a plain string), ``None`` for :class:`MergeKey` keys.
    """
    for mapping in reversed(merging):
        key = next((k for k in mapping if _is_merge(k, plain_key)), None)
        if key is None:
            continue
        source = mapping[key]
        sources = source if isinstance(source, list) else [source]
        if not sources or not all(isinstance(s, dict) for s in sources):
            raise MergeError(key)
        merged: dict[Any, Any] = {}
        for item in sources:
            for name, item_value in item.items():
                merged.setdefault(name, item_value)
        result: dict[Any, Any] = {}
        for name, item_value in mapping.items():
            if name is key:
                for merged_name, merged_value in merged.items():
                    if merged_name not in mapping:
                        result[merged_name] = merged_value
            else:
                result[name] = item_value
        mapping.clear()
        mapping.update(result)


def _is_merge(key: Any, plain_key: str | None) -> bool:
    if plain_key is None:
        return isinstance(key, MergeKey)
    return isinstance(key, str) and key == plain_key


def expanded_size_check(root: Node | None, filename: str) -> None:
    """Refuse alias bombs and deep alias nesting before building anything.

    Sizes and depths are computed once per distinct node (aliases share their node), so
    this costs time proportional to the text, not to the expansion.
    """
    if root is None:
        return
    sizes: dict[int, tuple[int, int]] = {}
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        if id(node) in sizes:
            continue
        if not done:
            stack.append((node, True))
            stack.extend((child, False) for child in node.items if id(child) not in sizes)
            continue
        size, depth = 1, 0
        for child in node.items:
            child_size, child_depth = sizes[id(child)]
            size += child_size
            depth = max(depth, child_depth)
        sizes[id(node)] = (size, depth + 1)
        if size > MAX_NODES or depth + 1 > MAX_DEPTH:
            raise _too_big(node, filename, size > MAX_NODES)
