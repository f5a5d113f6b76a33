"""Which containerizer runs an app: DOCKER, or MESOS for an app on several networks.

Marathon refuses a DOCKER app on more than one container network ("may only specify a
single container network when using the Docker container engine", AppValidation.scala,
complyWithDockerNetworkingRules: the Docker containerizer joins one CNI network), while
the MESOS containerizer (UCR) runs the same docker image on 1-to-n networks
(NetworkValidation.scala). So an app on several networks runs on MESOS, which keeps every
network and so every service it reaches, unless it needs what only DOCKER has: docker
parameters (entrypoint, workdir, init, a uid, tmpfs; validOldContainerAPI refuses them on
MESOS) or privileged mode. Then it stays on DOCKER, joins its first network only, and
the networks left out are reported.
https://mesosphere.github.io/marathon/docs/networking.html
https://mesosphere.github.io/marathon/docs/native-docker.html
"""

from __future__ import annotations

from typing import Any

from translator.targets.marathon.context import AppContext, Values


def containerizer(ctx: AppContext) -> Values:
    """DOCKER; MESOS for an app on several container networks (DOCKER joins one)"""
    values = ctx.values
    networks: list[dict[str, Any]] = values.get("networks") or []
    names = [n["name"] for n in networks if n.get("mode") == "container"]
    if len(names) <= 1:
        return {"container_type": "DOCKER"}
    needs = _docker_only(values)
    if not needs:
        return {"container_type": "MESOS"}
    kept, left = names[0], names[1:]
    what = f"networks {', '.join(left)} are" if len(left) > 1 else f"network {left[0]} is"
    ctx.lost("networks",
             f"{what} left out: the app joins {kept} only, because it needs the DOCKER "
             f"containerizer ({', '.join(needs)}), which joins one network")
    return {
        "container_type": "DOCKER",
        "networks": [n for n in networks if n.get("name") == kept],
        "port_mappings": _one_network(values.get("port_mappings")),
    }


def _docker_only(values: Values) -> list[str]:
    """What of the app only the DOCKER containerizer runs."""
    needs = [f"docker parameter {p['key']}" for p in values.get("parameters") or ()]
    if values.get("privileged"):
        needs.append("privileged mode")
    return needs


def _one_network(mappings: list[dict[str, Any]] | None) -> list[dict[str, Any]] | None:
    """Port mappings of a one-network app: a hostPort names no network (it has one)."""
    if mappings is None:
        return None
    return [{k: v for k, v in m.items() if k != "networkNames"} for m in mappings]
