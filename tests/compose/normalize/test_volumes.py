"""Service ``volumes:`` (short and long syntax) and ``tmpfs:``."""

from __future__ import annotations

from typing import Any

import pytest

from translator.errors import Diagnostics
from translator.model import Mount
from translator.model.service import BindOptions, TmpfsOptions, VolumeOptions

from .conftest import error_of, one_service, run

TOP: dict[str, Any] = {"volumes": {"named": None, "data": {}}}
CREATE = BindOptions(create_host_path=True)


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ("named:/data", Mount(type="volume", source="named", target="/data")),
        ("named:/data:ro", Mount(type="volume", source="named", target="/data", read_only=True)),
        (
            "named:/data:nocopy",
            Mount(type="volume", source="named", target="/data", volume=VolumeOptions(nocopy=True)),
        ),
        ("/anon", Mount(type="volume", target="/anon")),
        (
            "./rel:/path:ro",
            Mount(type="bind", source="./rel", target="/path", read_only=True, bind=CREATE),
        ),
        ("./a/../b/:/p", Mount(type="bind", source="./b", target="/p", bind=CREATE)),
        (".:/src", Mount(type="bind", source=".", target="/src", bind=CREATE)),
        ("../up:/u", Mount(type="bind", source="../up", target="/u", bind=CREATE)),
        ("~/home:/h", Mount(type="bind", source="~/home", target="/h", bind=CREATE)),
        # compose-go's ParseVolume: a colon after a lone letter is a Windows drive.
        ("C:\\data:/data", Mount(type="bind", source="C:\\data", target="/data", bind=CREATE)),
        (
            "c:/data:/data:ro",
            Mount(type="bind", source="c:/data", target="/data", read_only=True, bind=CREATE),
        ),
        ("named:c:/x", Mount(type="volume", source="named", target="c:/x")),
        ("x:/data", Mount(type="volume", target="x:/data")),
        (
            "/abs:/path:rw,z",
            Mount(
                type="bind",
                source="/abs",
                target="/path",
                bind=BindOptions(create_host_path=True, selinux="z"),
            ),
        ),
        (
            "/abs:/p:ro,rshared,Z,unknown",
            Mount(
                type="bind",
                source="/abs",
                target="/p",
                read_only=True,
                bind=BindOptions(create_host_path=True, selinux="Z", propagation="rshared"),
            ),
        ),
        (
            {
                "type": "bind",
                "source": "./x",
                "target": "/x",
                "bind": {"propagation": "shared", "create_host_path": False},
            },
            Mount(
                type="bind",
                source="./x",
                target="/x",
                bind=BindOptions(propagation="shared", create_host_path=False),
            ),
        ),
        (
            {
                "type": "bind",
                "source": "sub",
                "target": "/x",
                "read_only": True,
                "consistency": "cached",
            },
            Mount(type="bind", source="./sub", target="/x", read_only=True, consistency="cached"),
        ),
        (
            {
                "type": "volume",
                "source": "data",
                "target": "/d",
                "volume": {"nocopy": True, "subpath": "s"},
            },
            Mount(
                type="volume",
                source="data",
                target="/d",
                volume=VolumeOptions(nocopy=True, subpath="s"),
            ),
        ),
        (
            {"type": "tmpfs", "target": "/t", "tmpfs": {"size": "1k", "mode": 0o1770}},
            Mount(type="tmpfs", target="/t", tmpfs=TmpfsOptions(size=1024, mode=0o1770)),
        ),
        (
            {"type": "image", "source": "alpine", "target": "/i", "image": {"subpath": "etc"}},
            Mount(type="image", source="alpine", target="/i", image_subpath="etc"),
        ),
    ],
)
def test_volumes(entry: Any, expected: Mount) -> None:
    # What the source holds is tests/compose/normalize/test_hostfiles.py's subject.
    found = one_service({"volumes": [entry]}, **TOP).volumes
    assert tuple(m.model_copy(update={"host": None}) for m in found) == (expected,)


@pytest.mark.parametrize(
    ("entry", "path", "message"),
    [
        (
            "ab::b",
            (),
            "invalid volume 'ab::b': empty section between colons; expected "
            "[source:]target[:options]",
        ),
        (
            "/a:/b:ro:x",
            (),
            "invalid volume '/a:/b:ro:x': too many colons; expected [source:]target[:options]",
        ),
        ("undeclared:/x", (), 'service "web" refers to undefined volume undeclared'),
        # compose-go treats only ./, /, ~ as paths: this is a volume name, and undefined.
        ("rel/sub:/s", (), 'service "web" refers to undefined volume rel/sub'),
        (42, (), "invalid volume: expected a string or a mapping, got a number"),
        (
            {"type": "disk", "target": "/x"},
            ("type",),
            "invalid value 'disk': expected one of volume, bind, tmpfs, npipe, cluster, image",
        ),
        (
            {"type": "bind", "source": "./x"},
            (),
            "a volume in long syntax needs `target`, the path in the container",
        ),
        (
            {"type": "bind", "source": "./x", "target": "/x", "read_only": "maybe"},
            ("read_only",),
            "expected a boolean (true or false), got a string",
        ),
        (
            {"type": "tmpfs", "target": "/t", "tmpfs": {"size": "big"}},
            ("tmpfs", "size"),
            "invalid size 'big': expected a size in bytes such as 512m, 1g, 1.5GB or 100k",
        ),
        (
            {"type": "bind", "target": "/t", "bind": {"selinux": "q"}},
            ("bind", "selinux"),
            "invalid value 'q': expected one of z, Z",
        ),
    ],
)
def test_volume_errors(entry: Any, path: tuple[str, ...], message: str) -> None:
    diag = error_of({"volumes": ["named:/ok", entry]}, **TOP)
    assert diag.path == ("services", "web", "volumes", 1, *path)
    assert diag.message == message


def test_unknown_long_volume_key_warns() -> None:
    diagnostics = Diagnostics()
    doc = {
        "services": {
            "web": {"image": "nginx", "volumes": [{"type": "volume", "target": "/x", "colour": 1}]}
        }
    }
    run(doc, diagnostics=diagnostics)
    (warning,) = diagnostics.warnings
    assert warning.code == "unknown-key"
    assert warning.path == ("services", "web", "volumes", 0, "colour")
    assert (warning.service, warning.key) == ("web", "colour")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("/run", [Mount(type="tmpfs", target="/run")]),
        (
            ["/run:size=64k,mode=1770", "/tmp"],
            [
                Mount(type="tmpfs", target="/run", tmpfs=TmpfsOptions(size=65536, mode=0o1770)),
                Mount(type="tmpfs", target="/tmp"),
            ],
        ),
    ],
)
def test_tmpfs(value: Any, expected: list[Mount]) -> None:
    assert list(one_service({"tmpfs": value}).tmpfs) == expected


def test_tmpfs_unknown_option_is_a_warning() -> None:
    diagnostics = Diagnostics()
    service = run(
        {"services": {"web": {"image": "x", "tmpfs": ["/run:noexec,size=1k"]}}},
        diagnostics=diagnostics,
    ).services["web"]
    assert service.tmpfs == (Mount(type="tmpfs", target="/run", tmpfs=TmpfsOptions(size=1024)),)
    (warning,) = diagnostics.warnings
    assert (warning.path, warning.key, warning.code) == (
        ("services", "web", "tmpfs", 0),
        "tmpfs",
        "lossy",
    )
    assert "'noexec'" in warning.message


@pytest.mark.parametrize(
    ("value", "path", "message"),
    [
        (
            ["/run:mode=9"],
            ("services", "web", "tmpfs", 0),
            "invalid mode '9': expected an octal file mode such as 0440",
        ),
        (
            "/run:size=x",
            ("services", "web", "tmpfs"),
            "invalid size 'x': expected a size in bytes such as 512m, 1g, 1.5GB or 100k",
        ),
        ({"a": 1}, ("services", "web", "tmpfs"), "expected a string or a list, got a mapping"),
    ],
)
def test_tmpfs_errors(value: Any, path: tuple[Any, ...], message: str) -> None:
    diag = error_of({"tmpfs": value})
    assert (diag.path, diag.message) == (path, message)


@pytest.mark.parametrize(
    ("entry", "target"),
    [
        ("./a/:/x/y/", "/x/y"),
        ({"type": "bind", "source": "./b", "target": "/z/../w/"}, "/w"),
        ("named:/d//e", "/d/e"),
        ("/anon/", "/anon"),
    ],
)
def test_targets_are_cleaned_like_go_path_clean(entry: Any, target: str) -> None:
    assert one_service({"volumes": [entry]}, **TOP).volumes[0].target == target


def _normpath_reference(source: str) -> str:
    """normalize_bind_source as first written: always through posixpath.normpath."""
    import posixpath

    if source.startswith("~"):
        return source
    if source.startswith("/"):
        return posixpath.normpath(source)
    norm = posixpath.normpath(source)
    return norm if norm == "." or norm.startswith("../") or norm == ".." else f"./{norm}"


def test_bind_sources_already_clean_skip_normpath_with_the_same_result() -> None:
    import itertools

    from translator.compose.normalize.volumes import normalize_bind_source

    # Every path of up to six parts over the characters that matter to normpath.
    parts = ["/", ".", "..", "a", "b.c", "~"]
    for length in range(1, 7):
        for combo in itertools.product(parts, repeat=length):
            source = "".join(combo)
            assert normalize_bind_source(source) == _normpath_reference(source), source
