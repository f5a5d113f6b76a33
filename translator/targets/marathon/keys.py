"""What the Marathon target does with every compose service key and environment setting.

Each entry of :data:`KEYS` is the handler that computes the key's template values, or the
reason the key is lost (translator/targets/base.py); it covers every property of the
compose spec's ``service`` definition. A mapped key whose value Marathon cannot express
is reported by losses.py. Handlers run in table order: a later one may read an earlier
one's values, and their losses are reported in that order.
App fields: https://mesosphere.github.io/marathon/docs/rest-api.html (AppDefinition).
"""

from __future__ import annotations

from translator.targets.base import (
    Approximated,
    Dropped,
    Handler,
    KeyEntry,
    handler_of,
)
from translator.targets.marathon import handlers as h
from translator.targets.marathon.checks import group_id
from translator.targets.marathon.engine import containerizer
from translator.targets.marathon.losses import value_losses
from translator.targets.marathon.net import networking
from translator.targets.marathon.placement import upgrade_strategy, volumes

_NO_DOCKER_FIELD = "Marathon's app definition has no field for it"
_CPU_TUNING = Dropped("Marathon allocates whole cpu shares through `cpus` only")
_MESOS_DNS = "use Marathon service discovery (Mesos-DNS) names"
_AGENT_DNS = "Mesos agents set DNS"
_NO_HOOKS = "Marathon has no lifecycle hooks"
_WINDOWS = "Windows-only setting"

KEYS: dict[str, KeyEntry] = {
    "image": h.image,
    "pull_policy": h.pull_policy,
    "privileged": h.privileged,
    "ports": networking,
    "expose": networking,
    "networks": networking,
    "network_mode": networking,
    "volumes": volumes,
    "tmpfs": Approximated(volumes, "passed as a docker `tmpfs` parameter"),
    "command": h.command,
    "entrypoint": h.command,
    "deploy": h.deploy,
    "cpus": h.deploy,
    "mem_limit": h.deploy,
    "mem_reservation": h.deploy,
    "scale": h.deploy,
    "restart": h.deploy,
    "user": h.user,
    "working_dir": h.working_dir,
    "init": h.init,
    "environment": h.environment,
    "env_file": h.environment,
    "labels": h.labels,
    "label_file": h.labels,
    "healthcheck": h.healthcheck,
    "depends_on": h.depends_on,
    "stop_grace_period": h.stop_grace_period,
    "extends": h.resolved_before_rendering,
    "profiles": h.resolved_before_rendering,
    "annotations": Dropped("Marathon apps have labels only"),
    "attach": Dropped("log attachment is a local compose CLI setting"),
    "blkio_config": Dropped(_NO_DOCKER_FIELD),
    "build": Dropped("Marathon runs the artifact; build it in CI and pin it"),
    "cap_add": Dropped(_NO_DOCKER_FIELD),
    "cap_drop": Dropped(_NO_DOCKER_FIELD),
    "cgroup": Dropped(_NO_DOCKER_FIELD),
    "cgroup_parent": Dropped("Mesos owns the task cgroups"),
    "configs": Dropped("Marathon 1.7 has no config objects; bake the file into the image"),
    "container_name": Dropped("app ids come from service names"),
    "cpu_count": _CPU_TUNING,
    "cpu_percent": _CPU_TUNING,
    "cpu_period": _CPU_TUNING,
    "cpu_quota": _CPU_TUNING,
    "cpu_rt_period": _CPU_TUNING,
    "cpu_rt_runtime": _CPU_TUNING,
    "cpu_shares": _CPU_TUNING,
    "cpuset": _CPU_TUNING,
    "credential_spec": Dropped(_WINDOWS),
    "develop": Dropped("compose watch is a development feature"),
    "device_cgroup_rules": Dropped(_NO_DOCKER_FIELD),
    "devices": Dropped(_NO_DOCKER_FIELD),
    "dns": Dropped(_AGENT_DNS),
    "dns_opt": Dropped(_AGENT_DNS),
    "dns_search": Dropped(_AGENT_DNS),
    "domainname": Dropped(_NO_DOCKER_FIELD),
    "external_links": Dropped(_MESOS_DNS),
    "extra_hosts": Dropped(_NO_DOCKER_FIELD),
    "gpus": Dropped("Marathon gives GPUs to Mesos (UCR) containers only, not DOCKER"),
    "group_add": Dropped(_NO_DOCKER_FIELD),
    "hostname": Dropped("Mesos names the task"),
    "ipc": Dropped(_NO_DOCKER_FIELD),
    "isolation": Dropped(_WINDOWS),
    "links": Dropped(_MESOS_DNS),
    "logging": Dropped("Mesos agents choose the log driver"),
    "mac_address": Dropped(_NO_DOCKER_FIELD),
    "mem_swappiness": Dropped(_NO_DOCKER_FIELD),
    "memswap_limit": Dropped(_NO_DOCKER_FIELD),
    "models": Dropped("Marathon has no model runner"),
    "oom_kill_disable": Dropped(_NO_DOCKER_FIELD),
    "oom_score_adj": Dropped(_NO_DOCKER_FIELD),
    "pid": Dropped(_NO_DOCKER_FIELD),
    "pids_limit": Dropped(_NO_DOCKER_FIELD),
    "platform": Dropped("use a constraint on the agents' os attribute"),
    "post_start": Dropped(_NO_HOOKS),
    "pre_stop": Dropped(_NO_HOOKS),
    "provider": Dropped("Marathon has no provider services"),
    "pull_refresh_after": Dropped("Marathon only knows forcePullImage"),
    "read_only": Dropped(_NO_DOCKER_FIELD),
    "runtime": Dropped(_NO_DOCKER_FIELD),
    "secrets": Dropped("Marathon 1.7 secrets need the DC/OS Enterprise secret store"),
    "security_opt": Dropped(_NO_DOCKER_FIELD),
    "shm_size": Dropped(_NO_DOCKER_FIELD),
    "stdin_open": Dropped("Marathon tasks have no stdin"),
    "stop_signal": Dropped("Mesos always sends SIGTERM, then SIGKILL"),
    "storage_opt": Dropped(_NO_DOCKER_FIELD),
    "sysctls": Dropped(_NO_DOCKER_FIELD),
    "tty": Dropped("Marathon 1.7's schema rejects `tty`"),
    "ulimits": Dropped(_NO_DOCKER_FIELD),
    "use_api_socket": Dropped("Marathon tasks get no engine socket"),
    "userns_mode": Dropped(_NO_DOCKER_FIELD),
    "uts": Dropped(_NO_DOCKER_FIELD),
    "volumes_from": Dropped("Marathon tasks cannot share volumes"),
}

# Handlers that run for every app, whatever keys it uses: the environment's settings
# apply to all, and the model fills these values without their key (an artifact from
# artifacts.yaml or --image, the default network, dependencies that links imply).
ALWAYS: frozenset[Handler] = frozenset({
    value_losses, h.image, networking, h.deploy, h.labels, h.healthcheck, h.depends_on,
    upgrade_strategy, h.docker_parameters, containerizer,
})

_LINT_ONLY = "read by lint only: the apps are the same"

# Environment-file settings (translator/plan/envfile.py): per-service ones first, then the
# environment's own.
SETTINGS: dict[str, KeyEntry] = {
    "replicas": h.deploy,
    "mode": h.deploy,
    "strategy": h.deploy,
    "constraints": h.deploy,
    "max_replicas_per_node": h.deploy,
    "resources": h.deploy,
    "restart_policy": h.deploy,
    "update_config": upgrade_strategy,
    "exposure": networking,
    "stateful": Dropped("an app with a named volume always gets a local persistent volume"),
    "readiness_probe": Dropped("Marathon has health checks only"),
    "labels": h.labels,
    "annotations": Dropped("Marathon apps have labels only"),
    "namespace": group_id,
    "production": Dropped(_LINT_ONLY),
    "spread_key": h.deploy,
    "allow_host_paths": volumes,
    "mounts": volumes,
    "volume_defaults": volumes,
    "volumes": volumes,
    "schedule": Dropped("there are no scheduled runs; use a cron job outside the platform"),
    "autoscale": Dropped("there is no autoscaler; replicas are fixed"),
    "pod": Dropped("each service runs as its own task; no two share a network namespace"),
    "service_annotations": Dropped("there is no Service object to annotate"),
    "service_account": Dropped("there are no service accounts"),
}



def run_order() -> list[Handler]:
    """Every handler once: the value losses first, then the key table's order, then the
    handlers that read what the others computed."""
    handlers = [
        value_losses,
        *(handler_of(e) for e in KEYS.values()),
        upgrade_strategy,
        h.docker_parameters,
        containerizer,
    ]
    return [x for x in dict.fromkeys(handlers) if x is not None]
