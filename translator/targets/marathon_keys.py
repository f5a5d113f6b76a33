"""What the Marathon target does with every compose service key, and the losses that
depend on a key's value rather than on the key itself.

``KEYS`` covers every property of the compose spec's ``service`` definition; keys the
target maps only partly are ``mapped`` here and get a specific diagnostic from
:func:`value_diagnostics` when the value used is one Marathon cannot express.
App fields: https://mesosphere.github.io/marathon/docs/rest-api.html (AppDefinition).
"""

from __future__ import annotations

from translator.errors import Diagnostics
from translator.model import PlannedService
from translator.targets.base import KeySupport

TARGET_NAME = "marathon"

_M = KeySupport("mapped")


def _drop(note: str) -> KeySupport:
    return KeySupport("dropped", note)


def _approx(note: str) -> KeySupport:
    return KeySupport("approximated", note)


_NO_DOCKER_FIELD = "Marathon's app definition has no field for it"
_CPU_TUNING = _drop("Marathon allocates whole cpu shares through `cpus` only")

KEYS: dict[str, KeySupport] = {
    "annotations": _drop("Marathon apps have labels only"),
    "attach": _drop("log attachment is a local compose CLI setting"),
    "blkio_config": _drop(_NO_DOCKER_FIELD),
    "build": _drop("Marathon runs the artifact; build it in CI and pin it"),
    "cap_add": _drop(_NO_DOCKER_FIELD),
    "cap_drop": _drop(_NO_DOCKER_FIELD),
    "cgroup": _drop(_NO_DOCKER_FIELD),
    "cgroup_parent": _drop("Mesos owns the task cgroups"),
    "command": _M,
    "configs": _drop("Marathon 1.7 has no config objects; bake the file into the image"),
    "container_name": _drop("app ids come from service names"),
    "cpu_count": _CPU_TUNING,
    "cpu_percent": _CPU_TUNING,
    "cpu_period": _CPU_TUNING,
    "cpu_quota": _CPU_TUNING,
    "cpu_rt_period": _CPU_TUNING,
    "cpu_rt_runtime": _CPU_TUNING,
    "cpu_shares": _CPU_TUNING,
    "cpus": _M,
    "cpuset": _CPU_TUNING,
    "credential_spec": _drop("Windows-only setting"),
    "depends_on": _M,
    "deploy": _M,
    "develop": _drop("compose watch is a development feature"),
    "device_cgroup_rules": _drop(_NO_DOCKER_FIELD),
    "devices": _drop(_NO_DOCKER_FIELD),
    "dns": _drop("Mesos agents set DNS"),
    "dns_opt": _drop("Mesos agents set DNS"),
    "dns_search": _drop("Mesos agents set DNS"),
    "domainname": _drop(_NO_DOCKER_FIELD),
    "entrypoint": _M,
    "env_file": _M,
    "environment": _M,
    "expose": _M,
    "extends": _M,
    "external_links": _drop("use Marathon service discovery (Mesos-DNS) names"),
    "extra_hosts": _drop(_NO_DOCKER_FIELD),
    "gpus": _drop("Marathon gives GPUs to Mesos (UCR) containers only, not DOCKER"),
    "group_add": _drop(_NO_DOCKER_FIELD),
    "healthcheck": _M,
    "hostname": _drop("Mesos names the task"),
    "image": _M,
    "init": KeySupport("mapped", "passed as the docker `init` parameter"),
    "ipc": _drop(_NO_DOCKER_FIELD),
    "isolation": _drop("Windows-only setting"),
    "label_file": _M,
    "labels": _M,
    "links": _drop("use Marathon service discovery (Mesos-DNS) names"),
    "logging": _drop("Mesos agents choose the log driver"),
    "mac_address": _drop(_NO_DOCKER_FIELD),
    "mem_limit": _M,
    "mem_reservation": _M,
    "mem_swappiness": _drop(_NO_DOCKER_FIELD),
    "memswap_limit": _drop(_NO_DOCKER_FIELD),
    "models": _drop("Marathon has no model runner"),
    "network_mode": _M,
    "networks": _M,
    "oom_kill_disable": _drop(_NO_DOCKER_FIELD),
    "oom_score_adj": _drop(_NO_DOCKER_FIELD),
    "pid": _drop(_NO_DOCKER_FIELD),
    "pids_limit": _drop(_NO_DOCKER_FIELD),
    "platform": _drop("use a constraint on the agents' os attribute"),
    "ports": _M,
    "post_start": _drop("Marathon has no lifecycle hooks"),
    "pre_stop": _drop("Marathon has no lifecycle hooks"),
    "privileged": _M,
    "profiles": _M,
    "provider": _drop("Marathon has no provider services"),
    "pull_policy": _M,
    "pull_refresh_after": _drop("Marathon only knows forcePullImage"),
    "read_only": _drop(_NO_DOCKER_FIELD),
    "restart": _M,
    "runtime": _drop(_NO_DOCKER_FIELD),
    "scale": _M,
    "secrets": _drop("Marathon 1.7 secrets need the DC/OS Enterprise secret store"),
    "security_opt": _drop(_NO_DOCKER_FIELD),
    "shm_size": _drop(_NO_DOCKER_FIELD),
    "stdin_open": _drop("Marathon tasks have no stdin"),
    "stop_grace_period": _M,
    "stop_signal": _drop("Mesos always sends SIGTERM, then SIGKILL"),
    "storage_opt": _drop(_NO_DOCKER_FIELD),
    "sysctls": _drop(_NO_DOCKER_FIELD),
    "tmpfs": _approx("passed as a docker `tmpfs` parameter"),
    "tty": _drop("Marathon 1.7's schema rejects `tty`"),
    "ulimits": _drop(_NO_DOCKER_FIELD),
    "use_api_socket": _drop("Marathon tasks get no engine socket"),
    "user": _M,
    "userns_mode": _drop(_NO_DOCKER_FIELD),
    "uts": _drop(_NO_DOCKER_FIELD),
    "volumes": _M,
    "volumes_from": _drop("Marathon tasks cannot share volumes"),
    "working_dir": KeySupport("mapped", "passed as the docker `workdir` parameter"),
}


def warn(
    diagnostics: Diagnostics,
    service: str,
    key: str,
    message: str,
    *,
    code: str = "dropped",
    sub: tuple[str, ...] = (),
) -> None:
    """One lossy-mapping warning, by service, key and target; ``sub`` narrows the path
    below the key (``deploy.restart_policy``), so it can point at the setting's line."""
    diagnostics.warn(
        message,
        ("services", service, key, *sub),
        code=f"{TARGET_NAME}.{code}",
        service=service,
        key=key,
        target=TARGET_NAME,
    )


def value_diagnostics(planned: PlannedService, diagnostics: Diagnostics) -> None:
    """Losses that depend on the value of a key the table calls mapped."""
    svc = planned.service
    name = svc.name
    if svc.restart in ("no", "on-failure"):
        warn(diagnostics, name, "restart", f"restart {svc.restart!r} is not supported: "
             "Marathon restarts every task that ends")
    if svc.pull_policy in ("build", "never"):
        warn(diagnostics, name, "pull_policy",
             f"pull_policy {svc.pull_policy!r} is not supported: agents pull the artifact")
    for var, value in svc.environment.items():
        if value is None:
            warn(diagnostics, name, "environment",
                 f"{var} has no value: Marathon cannot pass a variable through from the host")
    for network, options in svc.networks.items():
        if options is not None and options != type(options)():
            warn(diagnostics, name, "networks",
                 f"options of network {network!r} (aliases, addresses) are not supported")
    _topology_diagnostics(planned, diagnostics)


def _topology_diagnostics(planned: PlannedService, diagnostics: Diagnostics) -> None:
    name = planned.name
    topo = planned.topology
    if topo.mode.endswith("-job"):
        warn(diagnostics, name, "deploy",
             f"mode {topo.mode!r} is approximated: Marathon apps run forever",
             code="approximated", sub=("mode",))
    if topo.mode == "global":
        warn(diagnostics, name, "deploy",
             "global mode is approximated: one task per host (hostname UNIQUE); "
             "set replicas to the agent count", code="approximated", sub=("mode",))
    if topo.endpoint_mode is not None:
        warn(diagnostics, name, "deploy", "endpoint_mode is not supported", sub=("endpoint_mode",))
    if topo.rollback_config is not None:
        warn(diagnostics, name, "deploy", "rollback_config is not supported",
             sub=("rollback_config",))
    _policy_diagnostics(planned, diagnostics)


def _policy_diagnostics(planned: PlannedService, diagnostics: Diagnostics) -> None:
    name = planned.name
    topo = planned.topology
    policy = topo.restart_policy
    if policy is not None:
        if policy.condition != "any":
            warn(diagnostics, name, "deploy",
                 f"restart_policy condition {policy.condition!r} is not supported: "
                 "Marathon restarts every task that ends", sub=("restart_policy",))
        if policy.max_attempts is not None or policy.window is not None:
            warn(diagnostics, name, "deploy",
                 "restart_policy max_attempts and window are not supported",
                 sub=("restart_policy",))
    update = topo.update_config
    if update is not None and (
        update.delay or update.failure_action or update.monitor
        or update.max_failure_ratio is not None
    ):
        warn(diagnostics, name, "deploy",
             "update_config delay, failure_action, monitor and max_failure_ratio are not "
             "supported: only parallelism and order map to upgradeStrategy", sub=("update_config",))
    for spec in (topo.resources.limits, topo.resources.reservations):
        if spec.devices or spec.generic_resources or spec.pids is not None:
            warn(diagnostics, name, "deploy",
                 "resources devices, generic_resources and pids are not supported",
                 sub=("resources",))
            break
