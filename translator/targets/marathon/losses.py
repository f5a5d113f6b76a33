"""Losses that depend on the value of a key (or setting) the key table calls mapped.

They are reported before the app's values are computed, in this order, so that each
service's report reads key by key. App fields:
https://mesosphere.github.io/marathon/docs/rest-api.html (AppDefinition).
"""

from __future__ import annotations

from translator.targets.marathon.context import AppContext, Values


def value_losses(ctx: AppContext) -> Values:
    """values of mapped keys and settings that Marathon cannot express are reported"""
    svc = ctx.service
    if svc.restart in ("no", "on-failure"):
        ctx.lost("restart", f"restart {svc.restart!r} is not supported: "
             "Marathon restarts every task that ends")
    if svc.pull_policy in ("build", "never"):
        ctx.lost("pull_policy",
             f"pull_policy {svc.pull_policy!r} is not supported: agents pull the artifact")
    for var, value in svc.environment.items():
        if value is None:
            ctx.lost("environment",
                 f"{var} has no value: neither the process environment nor .env defines it "
                 "at conversion time, and Marathon cannot pass a variable through from the host")
    for network, options in svc.networks.items():
        if options is not None and options != type(options)():
            ctx.lost("networks",
                 f"options of network {network!r} (aliases, addresses) are not supported")
    _topology_losses(ctx)
    return {}


def _topology_losses(ctx: AppContext) -> None:
    topo = ctx.planned.topology
    if topo.mode.endswith("-job"):
        ctx.lost("deploy",
             f"mode {topo.mode!r} is approximated: Marathon apps run forever",
             handling="approximated", sub=("mode",))
    if topo.mode == "global":
        ctx.lost("deploy",
             "global mode is approximated: one task per host (hostname UNIQUE); "
             "set replicas to the agent count", handling="approximated", sub=("mode",))
    if topo.endpoint_mode is not None:
        ctx.lost("deploy", "endpoint_mode is not supported", sub=("endpoint_mode",))
    if topo.rollback_config is not None:
        ctx.lost("deploy", "rollback_config is not supported",
             sub=("rollback_config",))
    _policy_losses(ctx)


def _policy_losses(ctx: AppContext) -> None:
    topo = ctx.planned.topology
    policy = topo.restart_policy
    if policy is not None:
        # unless-stopped is what Marathon does: it restarts every task until the app is
        # scaled down or suspended.
        if policy.condition not in ("any", "unless-stopped"):
            ctx.lost("deploy",
                 f"restart_policy condition {policy.condition!r} is not supported: "
                 "Marathon restarts every task that ends", sub=("restart_policy",))
        if policy.max_attempts is not None or policy.window is not None:
            ctx.lost("deploy",
                 "restart_policy max_attempts and window are not supported",
                 sub=("restart_policy",))
    update = topo.update_config
    if update is not None and (
        update.delay or update.failure_action or update.monitor
        or update.max_failure_ratio is not None
    ):
        ctx.lost("deploy",
             "update_config delay, failure_action, monitor and max_failure_ratio are not "
             "supported: only parallelism and order map to upgradeStrategy", sub=("update_config",))
    for spec in (topo.resources.limits, topo.resources.reservations):
        if spec.devices or spec.generic_resources or spec.pids is not None:
            ctx.lost("deploy",
                 "resources devices, generic_resources and pids are not supported",
                 sub=("resources",))
            break
