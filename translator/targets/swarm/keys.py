"""What the Swarm target does with every compose service key and environment setting.

Each entry of :data:`KEYS` is the handler that computes the key's template values, or the
reason the key is lost (translator/targets/base.py). The keys are the ``service``
properties of the compose specification
(https://github.com/compose-spec/compose-spec/blob/main/schema/compose-spec.json).
Dropped keys are either refused by ``docker stack deploy`` ("Ignoring unsupported
options", https://docs.docker.com/reference/cli/docker/stack/deploy/) or absent from
the v3 stack format (https://docs.docker.com/reference/compose-file/legacy-versions/).
Handlers run in table order, which is the order their losses are reported in.
"""

from __future__ import annotations

from translator.targets.base import (
    Approximated,
    Dropped,
    Handler,
    KeyEntry,
    handler_of,
)
from translator.targets.swarm import service as svc
from translator.targets.swarm.common import check_name
from translator.targets.swarm.deploy import deploy
from translator.targets.swarm.settings import environment_losses

_ENGINE_ONLY = "a Docker Engine container setting that Swarm services do not have"
_CPU_TUNING = "Swarm sets CPU only through deploy.resources (cpus)"
_NO_HOOKS = "Swarm has no lifecycle hooks"
_PULLS = "Swarm pulls the image when it schedules a task"

# Mapped keys in the order of templates/swarm/service.yaml.j2; deploy (and the engine keys
# it absorbs) last, as under the service.
_MAPPED: dict[str, KeyEntry] = {
    "image": svc.image,
    "command": svc.command,
    "entrypoint": svc.entrypoint,
    "working_dir": svc.working_dir,
    "user": svc.user,
    "hostname": svc.hostname,
    "environment": svc.environment,
    "env_file": svc.environment,
    "labels": svc.labels,
    "label_file": svc.labels,
    "ports": svc.ports,
    "volumes": svc.volumes,
    "tmpfs": svc.volumes,
    "shm_size": Approximated(svc.volumes, "becomes a tmpfs mount at /dev/shm"),
    "healthcheck": svc.healthcheck,
    "networks": svc.networks,
    "secrets": svc.secrets,
    "configs": svc.configs,
    "cap_add": svc.cap_add,
    "cap_drop": svc.cap_drop,
    "sysctls": svc.sysctls,
    "ulimits": svc.ulimits,
    "logging": svc.logging,
    "stop_grace_period": svc.stop_grace_period,
    "stop_signal": svc.stop_signal,
    "extra_hosts": svc.extra_hosts,
    "dns": svc.dns,
    "dns_search": svc.dns_search,
    "init": svc.init,
    "read_only": svc.read_only,
    "tty": svc.tty,
    "stdin_open": svc.stdin_open,
    "oom_score_adj": svc.oom_score_adj,
    "isolation": svc.isolation,
    "credential_spec": svc.credential_spec,
    "extends": svc.resolved_by_loader,
    "deploy": deploy,
    "cpus": deploy,
    "mem_limit": deploy,
    "mem_reservation": deploy,
    "pids_limit": deploy,
    "restart": deploy,
    "scale": deploy,
}

KEYS: dict[str, KeyEntry] = {
    **_MAPPED,
    "annotations": Dropped("Swarm services have no annotations; use labels"),
    "attach": Dropped("log attachment is a docker compose up option"),
    "blkio_config": Dropped(_ENGINE_ONLY),
    "build": Dropped("docker stack deploy never builds; the service's artifact is deployed"),
    "cgroup": Dropped(_ENGINE_ONLY),
    "cgroup_parent": Dropped(_ENGINE_ONLY),
    "container_name": Dropped("Swarm names the tasks of a service itself"),
    "cpu_count": Dropped(_CPU_TUNING),
    "cpu_percent": Dropped(_CPU_TUNING),
    "cpu_period": Dropped(_CPU_TUNING),
    "cpu_quota": Dropped(_CPU_TUNING),
    "cpu_rt_period": Dropped(_CPU_TUNING),
    "cpu_rt_runtime": Dropped(_CPU_TUNING),
    "cpu_shares": Dropped(_CPU_TUNING),
    "cpuset": Dropped(_CPU_TUNING),
    "depends_on": Dropped("Swarm does not order start-up; services must retry their peers"),
    "develop": Dropped("compose watch is a development feature"),
    "device_cgroup_rules": Dropped(_ENGINE_ONLY),
    "devices": Dropped("Swarm services cannot map host devices"),
    "dns_opt": Dropped("the v3 stack format has no dns_opt"),
    "domainname": Dropped(_ENGINE_ONLY),
    "expose": Dropped("unnecessary on Swarm: services on one network reach every port"),
    "external_links": Dropped("Swarm has no links; use a shared network"),
    "gpus": Dropped("Swarm reserves devices only as generic_resources"),
    "group_add": Dropped("the v3 stack format has no group_add"),
    "ipc": Dropped(_ENGINE_ONLY),
    "links": Dropped("Swarm has no links; services reach each other by name on a shared network"),
    "mac_address": Dropped(_ENGINE_ONLY),
    "mem_swappiness": Dropped(_ENGINE_ONLY),
    "memswap_limit": Dropped(_ENGINE_ONLY),
    "models": Dropped("Swarm has no model runner"),
    "network_mode": Dropped("Swarm services attach to networks; use networks"),
    "oom_kill_disable": Dropped(_ENGINE_ONLY),
    "pid": Dropped(_ENGINE_ONLY),
    "platform": Dropped("use a placement constraint on node.platform.os / node.platform.arch"),
    "post_start": Dropped(_NO_HOOKS),
    "pre_stop": Dropped(_NO_HOOKS),
    "privileged": Dropped("Swarm services cannot run privileged"),
    "profiles": Dropped(
        "profiles are resolved before rendering; the stack holds the services chosen"
    ),
    "provider": Dropped("provider services are run by docker compose only"),
    "pull_policy": Dropped(_PULLS),
    "pull_refresh_after": Dropped(_PULLS),
    "runtime": Dropped(_ENGINE_ONLY),
    "security_opt": Dropped("Swarm services take no security options"),
    "storage_opt": Dropped(_ENGINE_ONLY),
    "use_api_socket": Dropped("a docker compose up convenience"),
    "userns_mode": Dropped(_ENGINE_ONLY),
    "uts": Dropped(_ENGINE_ONLY),
    "volumes_from": Dropped(
        "Swarm services cannot share another service's volumes; use a named volume"
    ),
}

# Handlers that run for every service, whatever keys it uses: the environment's settings
# apply to all, and the model fills these values without their key (an artifact from
# artifacts.yaml or --image, the project's default network, a topology).
ALWAYS: frozenset[Handler] = frozenset({environment_losses, svc.image, svc.networks, deploy})

_LINT_ONLY = "read by lint only: the stack file is the same"
_VOLUME_SIZE = (
    "a Swarm volume is created by its driver on each node: size and storage class are lost"
)

# Environment-file settings (translator/plan/envfile.py): per-service ones first, then the
# environment's own.
SETTINGS: dict[str, KeyEntry] = {
    "replicas": deploy,
    "mode": deploy,
    "strategy": deploy,
    "constraints": deploy,
    "max_replicas_per_node": deploy,
    "resources": deploy,
    "restart_policy": deploy,
    "update_config": deploy,
    "exposure": Approximated(
        environment_losses,
        "the routing mesh publishes ports on every node; Swarm has no HTTP ingress",
    ),
    "stateful": Dropped("a Swarm service is one kind: it keeps its named volumes on its node"),
    "readiness_probe": Dropped("Swarm routes to tasks by their healthcheck alone"),
    "labels": deploy,
    "annotations": Dropped("Swarm services have no annotations; use labels"),
    "namespace": check_name,
    "production": Dropped(_LINT_ONLY),
    "spread_key": deploy,
    "allow_host_paths": Dropped(_LINT_ONLY),
    "mounts": Dropped("Swarm keeps bind mounts as binds: the paths must exist on the nodes"),
    "volume_defaults": Dropped(_VOLUME_SIZE),
    "volumes": Dropped(_VOLUME_SIZE),
    "schedule": Dropped("there are no scheduled runs; use a cron job outside the platform"),
    "autoscale": Dropped("there is no autoscaler; replicas are fixed"),
    "pod": Dropped("each service runs as its own task; no two share a network namespace"),
    "service_annotations": Dropped("there is no Service object to annotate"),
    "service_account": Dropped("there are no service accounts"),
}



def run_order() -> list[Handler]:
    """Every handler once: the environment's losses first, then the key table's order."""
    handlers = [environment_losses, *(handler_of(e) for e in KEYS.values())]
    return [h for h in dict.fromkeys(handlers) if h is not None]
