"""Environment settings of one Swarm service that a stack file cannot carry (fully)."""

from __future__ import annotations

from translator.targets.base import Handling
from translator.targets.swarm.common import ServiceContext, Values

# What an environment's exposure becomes: Swarm publishes ports through its routing mesh on
# every node (https://docs.docker.com/engine/swarm/ingress/) and has no HTTP ingress.
_EXPOSURE_LOSS: dict[str, tuple[Handling, str]] = {
    "load-balancer": (
        "approximated",
        "exposure load-balancer is approximated: the routing mesh "
        "publishes the ports on every node; put a load balancer in front",
    ),
    "ingress": (
        "dropped",
        "exposure ingress (host, path, TLS) is dropped: Swarm has no HTTP "
        "ingress; the ports are published as the compose file says",
    ),
}


def environment_losses(ctx: ServiceContext) -> Values:
    """the environment's annotations and an exposure beyond published ports are reported"""
    name, planned = ctx.name, ctx.planned
    if planned.annotations:
        message = "the environment's annotations are dropped: Swarm services have none"
        ctx.lost("annotations", message, ("services", name, "annotations"))
    loss = _EXPOSURE_LOSS.get(planned.exposure.type)
    if loss is not None:
        handling, message = loss
        ctx.lost("exposure", message, ("services", name, "exposure"), handling=handling)
    return {}
