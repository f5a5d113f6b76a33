"""What the Swarm target does with every compose service key.

The keys are the ``service`` properties of the compose specification
(https://github.com/compose-spec/compose-spec/blob/main/schema/compose-spec.json).
"Dropped" keys are either refused by ``docker stack deploy`` ("Ignoring unsupported
options", https://docs.docker.com/reference/cli/docker/stack/deploy/) or absent from
the v3 stack format (https://docs.docker.com/reference/compose-file/legacy-versions/).
"""

from __future__ import annotations

from translator.targets.base import KeySupport

_M = KeySupport("mapped")


def _drop(note: str) -> KeySupport:
    return KeySupport("dropped", note)


_ENGINE_ONLY = "a Docker Engine container setting that Swarm services do not have"
_CPU_TUNING = "Swarm sets CPU only through deploy.resources (cpus)"

KEYS: dict[str, KeySupport] = {
    "annotations": _drop("Swarm services have no annotations; use labels"),
    "attach": _drop("log attachment is a docker compose up option"),
    "blkio_config": _drop(_ENGINE_ONLY),
    "build": _drop("docker stack deploy never builds; the service's artifact is deployed"),
    "cap_add": _M,
    "cap_drop": _M,
    "cgroup": _drop(_ENGINE_ONLY),
    "cgroup_parent": _drop(_ENGINE_ONLY),
    "command": _M,
    "configs": _M,
    "container_name": _drop("Swarm names the tasks of a service itself"),
    "cpu_count": _drop(_CPU_TUNING),
    "cpu_percent": _drop(_CPU_TUNING),
    "cpu_period": _drop(_CPU_TUNING),
    "cpu_quota": _drop(_CPU_TUNING),
    "cpu_rt_period": _drop(_CPU_TUNING),
    "cpu_rt_runtime": _drop(_CPU_TUNING),
    "cpu_shares": _drop(_CPU_TUNING),
    "cpus": KeySupport("mapped", "becomes deploy.resources.limits.cpus"),
    "cpuset": _drop(_CPU_TUNING),
    "credential_spec": _M,
    "depends_on": _drop("Swarm does not order start-up; services must retry their peers"),
    "deploy": _M,
    "develop": _drop("compose watch is a development feature"),
    "device_cgroup_rules": _drop(_ENGINE_ONLY),
    "devices": _drop("Swarm services cannot map host devices"),
    "dns": _M,
    "dns_opt": _drop("the v3 stack format has no dns_opt"),
    "dns_search": _M,
    "domainname": _drop(_ENGINE_ONLY),
    "entrypoint": _M,
    "env_file": KeySupport("mapped", "its values are written into environment"),
    "environment": _M,
    "expose": _drop("unnecessary on Swarm: services on one network reach every port"),
    "extends": KeySupport("mapped", "resolved by the loader"),
    "external_links": _drop("Swarm has no links; use a shared network"),
    "extra_hosts": _M,
    "gpus": _drop("Swarm reserves devices only as generic_resources"),
    "group_add": _drop("the v3 stack format has no group_add"),
    "healthcheck": _M,
    "hostname": _M,
    "image": _M,
    "init": _M,
    "ipc": _drop(_ENGINE_ONLY),
    "isolation": _M,
    "label_file": KeySupport("mapped", "its labels are written into labels"),
    "labels": _M,
    "links": _drop("Swarm has no links; services reach each other by name on a shared network"),
    "logging": _M,
    "mac_address": _drop(_ENGINE_ONLY),
    "mem_limit": KeySupport("mapped", "becomes deploy.resources.limits.memory"),
    "mem_reservation": KeySupport("mapped", "becomes deploy.resources.reservations.memory"),
    "mem_swappiness": _drop(_ENGINE_ONLY),
    "memswap_limit": _drop(_ENGINE_ONLY),
    "models": _drop("Swarm has no model runner"),
    "network_mode": _drop("Swarm services attach to networks; use networks"),
    "networks": _M,
    "oom_kill_disable": _drop(_ENGINE_ONLY),
    "oom_score_adj": _M,
    "pid": _drop(_ENGINE_ONLY),
    "pids_limit": KeySupport("mapped", "becomes deploy.resources.limits.pids"),
    "platform": _drop("use a placement constraint on node.platform.os / node.platform.arch"),
    "ports": _M,
    "post_start": _drop("Swarm has no lifecycle hooks"),
    "pre_stop": _drop("Swarm has no lifecycle hooks"),
    "privileged": _drop("Swarm services cannot run privileged"),
    "profiles": _drop(
        "profiles are resolved before rendering; the stack holds the services chosen"
    ),
    "provider": _drop("provider services are run by docker compose only"),
    "pull_policy": _drop("Swarm pulls the image when it schedules a task"),
    "pull_refresh_after": _drop("Swarm pulls the image when it schedules a task"),
    "read_only": _M,
    "restart": KeySupport("mapped", "becomes deploy.restart_policy"),
    "runtime": _drop(_ENGINE_ONLY),
    "scale": KeySupport("mapped", "becomes deploy.replicas"),
    "secrets": _M,
    "security_opt": _drop("Swarm services take no security options"),
    "shm_size": KeySupport("approximated", "becomes a tmpfs mount at /dev/shm"),
    "stdin_open": _M,
    "stop_grace_period": _M,
    "stop_signal": _M,
    "storage_opt": _drop(_ENGINE_ONLY),
    "sysctls": _M,
    "tmpfs": KeySupport("mapped", "becomes a type: tmpfs mount"),
    "tty": _M,
    "ulimits": _M,
    "use_api_socket": _drop("a docker compose up convenience"),
    "user": _M,
    "userns_mode": _drop(_ENGINE_ONLY),
    "uts": _drop(_ENGINE_ONLY),
    "volumes": _M,
    "volumes_from": _drop(
        "Swarm services cannot share another service's volumes; use a named volume"
    ),
    "working_dir": _M,
}
