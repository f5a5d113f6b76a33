"""The API server's validation rules the renderer enforces (what schemas cannot check)."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from conftest import make_plan, planned, render, service

from translator.errors import TranslatorError
from translator.model import Port, PortRange
from translator.targets.kubernetes.checks import check_object


def _deployment() -> dict[str, Any]:
    svc = service(ports=(Port(target=80, published=PortRange(start=8080, end=8080)),))
    docs, _ = render(make_plan(planned(svc)))
    return copy.deepcopy(next(d.content for d in docs if d.kind == "Deployment"))


def _service(kind: str = "ClusterIP") -> dict[str, Any]:
    svc = service(ports=(Port(target=80, published=PortRange(start=30080, end=30080)),))
    docs, _ = render(make_plan(planned(svc)))
    content = copy.deepcopy(next(d.content for d in docs if d.kind == "Service"))
    content["spec"]["type"] = kind
    return content


def _set(obj: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    *parents, last = path.split(".")
    target: Any = obj
    for part in parents:
        target = target[int(part)] if isinstance(target, list) else target[part]
    if isinstance(target, list):
        target[int(last)] = value
    else:
        target[last] = value
    return obj


def _config_map(data: dict[str, str], binary: dict[str, str] | None = None,
                kind: str = "ConfigMap") -> dict[str, Any]:
    obj: dict[str, Any] = {"apiVersion": "v1", "kind": kind, "metadata": {"name": "conf"},
                           "data": data}
    if binary is not None:
        obj["binaryData"] = binary
    return obj


C = "spec.template.spec.containers.0."
BAD: list[tuple[str, dict[str, Any], str]] = [
    ("upper-case name", _set(_deployment(), "metadata.name", "Web"), "DNS-1035"),
    ("long name", _set(_deployment(), "metadata.name", "a" * 64), "DNS-1035"),
    ("underscore name", _set(_service(), "metadata.name", "my_web"), "DNS-1035"),
    ("bad label value", _set(_deployment(), "metadata.labels.x", "a b"), "label value"),
    ("bad label key", _set(_deployment(), "metadata.labels", {"a b": "x"}), "label key"),
    ("selector mismatch", _set(_deployment(), "spec.selector.matchLabels",
                               {"app.kubernetes.io/name": "other"}), "does not match"),
    ("container port 0", _set(_deployment(), C + "ports.0.containerPort", 0), "1-65535"),
    ("container port 70000", _set(_deployment(), C + "ports.0.containerPort", 70000), "1-65535"),
    ("port name too long", _set(_deployment(), C + "ports.0.name", "a-very-long-name1"),
     "IANA_SVC_NAME"),
    ("port name digits only", _set(_deployment(), C + "ports.0.name", "8080"), "IANA_SVC_NAME"),
    ("port name double dash", _set(_deployment(), C + "ports.0.name", "a--b"), "IANA_SVC_NAME"),
    ("bad quantity", _set(_deployment(), C + "resources", {"limits": {"memory": "1 GB"}}),
     "quantity"),
    ("request above limit", _set(_deployment(), C + "resources",
                                 {"limits": {"cpu": "500m"}, "requests": {"cpu": "1"}}),
     "exceeds"),
    ("service port 0", _set(_service(), "spec.ports.0.port", 0), "1-65535"),
    ("nodePort on ClusterIP", _set(_service(), "spec.ports.0.nodePort", 30080), "nodePort"),
    ("nodePort out of range", _set(_service("NodePort"), "spec.ports.0.nodePort", 70000),
     "1-65535"),
    ("mount without volume", _set(_deployment(), C + "volumeMounts",
                                  [{"name": "nope", "mountPath": "/x"}]), "no volume"),
]


@pytest.mark.parametrize(("case", "obj", "message"), BAD, ids=[b[0] for b in BAD])
def test_invalid_objects_are_refused(case: str, obj: dict[str, Any], message: str) -> None:
    with pytest.raises(TranslatorError, match=message) as info:
        check_object(obj)
    assert info.value.diagnostics[0].path[0] == obj["kind"]


MIB = 1024 * 1024
DATA: list[tuple[str, dict[str, Any], str | None]] = [
    ("a key with a space", _config_map({"a b": "x"}), "not a valid data key"),
    ("a key of dots", _config_map({"..": "x"}), "not a valid data key"),
    ("a key too long", _config_map({"k" * 254: "x"}), "not a valid data key"),
    ("a key in data and binaryData", _config_map({"k": "x"}, {"k": "eA=="}), "repeated"),
    ("over 1 MiB", _config_map({"a": "x" * MIB}), "at most 1 MiB"),
    ("binary over 1 MiB", _config_map({}, {"b": "eHh4" * (MIB // 3 + 1)}), "at most 1 MiB"),
    ("just under 1 MiB", _config_map({"a": "x" * (MIB - 1)}), None),
    ("multi-byte text counts its bytes", _config_map({"a": "\u00e9" * (MIB // 2)}),
     "at most 1 MiB"),
    ("a Secret counts decoded bytes", _config_map({"a": "eHh4" * (MIB // 3)}, kind="Secret"),
     None),
]


@pytest.mark.parametrize(("case", "obj", "message"), DATA, ids=[d[0] for d in DATA])
def test_config_map_and_secret_data(case: str, obj: dict[str, Any], message: str | None) -> None:
    if message is None:
        check_object(obj)
        return
    with pytest.raises(TranslatorError, match=message):
        check_object(obj)


MISSHAPEN: list[tuple[str, Any, str]] = [
    ("metadata a string", _set(_deployment(), "metadata", "web"), "wrong type"),
    ("no metadata", {"kind": "Service", "spec": {}}, "no 'metadata' field"),
    ("containers a mapping", _set(_deployment(), "spec.template.spec.containers", {"a": 1}),
     "wrong type"),
    ("port without number", _set(_service(), "spec.ports.0", {"name": "x"}), "no 'port'"),
    ("not a mapping at all", ["kind"], "not a valid Kubernetes object"),
]


@pytest.mark.parametrize(("case", "obj", "message"), MISSHAPEN, ids=[m[0] for m in MISSHAPEN])
def test_misshapen_objects_are_refused_not_crashed_on(case: str, obj: Any, message: str) -> None:
    with pytest.raises(TranslatorError, match=message) as info:
        check_object(obj)
    assert info.value.diagnostics[0].code == "kubernetes.dry-run"


@pytest.mark.parametrize("obj", [_deployment(), _service(), _service("NodePort")],
                         ids=["deployment", "service", "nodeport"])
def test_valid_objects_pass(obj: dict[str, Any]) -> None:
    if obj["kind"] == "Service" and obj["spec"]["type"] == "NodePort":
        obj["spec"]["ports"][0]["nodePort"] = 30080
    check_object(obj)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"image": None}, "has no image"),
    ],
)
def test_impossible_input_raises_with_a_path(fields: dict[str, Any], message: str) -> None:
    with pytest.raises(TranslatorError, match=message) as info:
        render(make_plan(planned(service(**fields))))
    assert info.value.diagnostics[0].path == ("services", "web", "image")


def test_objects_of_one_kind_and_name_collide() -> None:
    from translator.model import EnvFile, FileObject, FileReference

    svc = service(env_files=(EnvFile(path=".env", values={"A": "1"}),), environment={"A": "1"},
                  configs=(FileReference(source="web-env-0"),))
    plan = make_plan(planned(svc), configs={"web-env-0": FileObject(content="x")})
    with pytest.raises(TranslatorError, match="two ConfigMap objects would be named 'web-env-0'"):
        render(plan)


def test_a_user_template_of_the_wrong_shape_is_reported_at_the_service(tmp_path: Any) -> None:
    from translator.templating import Templates, builtin_templates_dir

    folder = tmp_path / "kubernetes"
    folder.mkdir()
    source = (builtin_templates_dir() / "kubernetes" / "deployment.yaml.j2").read_text()
    start = source.index("metadata:")
    end = source.index("\nspec:")
    (folder / "deployment.yaml.j2").write_text(
        source[:start] + "metadata: just-a-name" + source[end:])
    with pytest.raises(TranslatorError, match="not a valid Kubernetes Deployment") as info:
        render(make_plan(planned(service())), templates=Templates(tmp_path))
    assert info.value.diagnostics[0].path[:2] == ("services", "web")
