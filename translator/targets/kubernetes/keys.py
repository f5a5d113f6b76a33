"""What the Kubernetes target does with every compose service key, environment setting
and Kompose label.

Each entry is the handler that maps the key (it fills the template values of the
service), or the reason the key is lost. ``RUN_ORDER`` is the order the renderer runs
the handlers in, so the diagnostics read in the order of the manifest's parts;
``ALWAYS`` are the handlers that also read the plan (settings, artifacts, Kompose
labels), so they run for every service, present key or not.
"""

from __future__ import annotations

from translator.targets.base import Dropped, KeyEntry
from translator.targets.kubernetes import container as c
from translator.targets.kubernetes import (
    grouping,
    jobs,
    kompose,
    lifecycle,
    meta,
    network,
    placement,
    pod,
    probes,
    resources,
    volumes,
    workloads,
)
from translator.targets.kubernetes.context import Context, Unit


def resolved_by_loader(ctx: Context, unit: Unit) -> None:
    """Resolved by the loader: the service arrives with it applied."""


_CGROUP = "cgroup tuning is a node/kubelet setting, not a pod field"


KEYS: dict[str, KeyEntry] = {
    "annotations": meta.pod_annotations_handler,
    "attach": Dropped("there is no attach in Kubernetes; use kubectl logs"),
    "blkio_config": Dropped(_CGROUP),
    "build": Dropped("Kubernetes runs the image artifact; build it in CI"),
    "cap_add": c.security_handler,
    "cap_drop": c.security_handler,
    "cgroup": Dropped(_CGROUP),
    "cgroup_parent": Dropped(_CGROUP),
    "command": c.command_handler,
    "configs": volumes.volumes_handler,
    "container_name": Dropped("pod names come from the controller"),
    "cpu_count": Dropped(_CGROUP),
    "cpu_percent": Dropped(_CGROUP),
    "cpu_period": Dropped(_CGROUP),
    "cpu_quota": Dropped(_CGROUP),
    "cpu_rt_period": Dropped(_CGROUP),
    "cpu_rt_runtime": Dropped(_CGROUP),
    "cpu_shares": Dropped("use deploy.resources.reservations.cpus (requests)"),
    "cpus": resources.resources_handler,
    "cpuset": Dropped(_CGROUP),
    "credential_spec": Dropped("Windows gMSA credential specs are not mapped"),
    "depends_on": pod.depends_on_handler,
    "deploy": workloads.workload_handler,
    "develop": Dropped("compose watch is a development feature"),
    "device_cgroup_rules": Dropped(_CGROUP),
    "devices": Dropped("host devices need a device plugin"),
    "dns": pod.dns_handler,
    "dns_opt": pod.dns_handler,
    "dns_search": pod.dns_handler,
    "domainname": pod.identity_handler,
    "entrypoint": c.command_handler,
    "env_file": c.environment_handler,
    "environment": c.environment_handler,
    "expose": c.ports_handler,
    "extends": resolved_by_loader,
    "external_links": Dropped("links to containers outside the project do not exist in a cluster"),
    "extra_hosts": pod.hosts_handler,
    "gpus": Dropped("GPUs need a device plugin's extended resource (nvidia.com/gpu)"),
    "group_add": pod.pod_security_handler,
    "healthcheck": probes.probes_handler,
    "hostname": pod.identity_handler,
    "image": c.image_handler,
    "init": Dropped("Kubernetes has no init process option; build tini into the image"),
    "ipc": Dropped("IPC namespace sharing is not mapped"),
    "isolation": Dropped("Windows isolation is not mapped"),
    "label_file": meta.pod_annotations_handler,  # read into labels by the loader
    "labels": meta.pod_annotations_handler,
    "links": network.links_handler,
    "logging": Dropped("logging is configured per cluster, not per pod"),
    "mac_address": Dropped("pods get their address from the network plugin"),
    "mem_limit": resources.resources_handler,
    "mem_reservation": resources.resources_handler,
    "mem_swappiness": Dropped(_CGROUP),
    "memswap_limit": Dropped("swap is a node setting"),
    "models": Dropped("AI models are not mapped"),
    "network_mode": pod.network_mode_handler,
    "networks": network.networks_handler,
    "oom_kill_disable": Dropped(_CGROUP),
    "oom_score_adj": Dropped("set by the kubelet from the QoS class"),
    "pid": Dropped("PID namespace sharing is not mapped"),
    "pids_limit": Dropped("the pod PID limit is a kubelet setting"),
    "platform": placement.placement_handler,
    "ports": c.ports_handler,
    "post_start": lifecycle.lifecycle_handler,
    "pre_stop": lifecycle.lifecycle_handler,
    "privileged": c.security_handler,
    "profiles": resolved_by_loader,
    "provider": Dropped("provider services are not mapped"),
    "pull_policy": c.pull_policy_handler,
    "pull_refresh_after": Dropped("no refresh interval for image pulls"),
    "read_only": c.security_handler,
    "restart": workloads.workload_handler,
    "runtime": Dropped("use a RuntimeClass; not mapped"),
    "scale": workloads.workload_handler,
    "secrets": volumes.volumes_handler,
    "security_opt": c.security_handler,
    "shm_size": volumes.volumes_handler,
    "stdin_open": c.terminal_handler,
    "stop_grace_period": pod.grace_handler,
    "stop_signal": Dropped("the stop signal comes from the image (STOPSIGNAL)"),
    "storage_opt": Dropped("storage driver options are node settings"),
    "sysctls": pod.pod_security_handler,
    "tmpfs": volumes.volumes_handler,
    "tty": c.terminal_handler,
    "ulimits": Dropped("ulimits are a container runtime setting"),
    "use_api_socket": Dropped("there is no Docker API socket in a cluster"),
    "user": c.security_handler,
    "userns_mode": Dropped("user namespaces (hostUsers) are not mapped"),
    "uts": Dropped("UTS namespace sharing is not mapped"),
    "volumes": volumes.volumes_handler,
    "volumes_from": Dropped("volumes are not shared between pods this way; use a named volume"),
    "working_dir": c.working_dir_handler,
}

# Environment-file settings: per service (ServiceSettings) and for the whole environment.
SETTINGS: dict[str, KeyEntry] = {
    "replicas": workloads.workload_handler,
    "mode": workloads.workload_handler,
    "strategy": placement.placement_handler,
    "constraints": placement.placement_handler,
    "max_replicas_per_node": Dropped(
        "topologySpreadConstraints bound skew, not a count of pods per node"),
    "resources": resources.resources_handler,
    "restart_policy": workloads.workload_handler,
    "update_config": workloads.workload_handler,
    "exposure": network.service_handler,
    "stateful": workloads.workload_handler,
    "readiness_probe": probes.probes_handler,
    "labels": meta.metadata_handler,
    "annotations": meta.metadata_handler,
    "namespace": meta.metadata_handler,
    "production": Dropped("read by translator lint only; the manifests do not change"),
    "spread_key": placement.placement_handler,
    "allow_host_paths": volumes.volumes_handler,
    "mounts": volumes.volumes_handler,
    "volume_defaults": workloads.claim_templates,
    "volumes": workloads.claim_templates,
    "schedule": jobs.cronjob_handler,
    "autoscale": jobs.autoscale_handler,
    "pod": grouping.pod_group_handler,
    "service_annotations": meta.service_annotations_handler,
    "service_account": kompose.service_account_handler,
}

_READINESS = "kompose.service.healthcheck.readiness."
_LIVENESS = "kompose.service.healthcheck.liveness."
_SUFFIX_LB = Dropped(
    "Kompose splits a LoadBalancer with TCP and UDP ports into two Services named with this "
    "suffix; here one Service carries both protocols (mixed-protocol load balancers are "
    "stable since Kubernetes 1.26)")

# Every label of Kompose's user guide (https://kompose.io/user-guide/#labels) and of its
# loader (pkg/loader/compose/utils.go): the handler that reads it, or why it is not read.
# A kompose.* label not in this table is reported by name (kompose.labels_handler).
LABELS: dict[str, KeyEntry] = {
    "kompose.controller.port.expose": kompose.host_port_handler,
    "kompose.controller.type": workloads.workload_handler,
    "kompose.cronjob.backoff_limit": jobs.cronjob_handler,
    "kompose.cronjob.concurrency_policy": jobs.cronjob_handler,
    "kompose.cronjob.schedule": jobs.cronjob_handler,
    "kompose.ephemeral-storage.limit": kompose.ephemeral_storage_handler,
    "kompose.ephemeral-storage.request": kompose.ephemeral_storage_handler,
    "kompose.hpa.cpu": jobs.autoscale_handler,
    "kompose.hpa.memory": jobs.autoscale_handler,
    "kompose.hpa.replicas.max": jobs.autoscale_handler,
    "kompose.hpa.replicas.min": jobs.autoscale_handler,
    "kompose.image-pull-policy": c.pull_policy_handler,
    "kompose.image-pull-secret": c.pull_policy_handler,
    "kompose.init.containers.command": kompose.init_container_handler,
    "kompose.init.containers.image": kompose.init_container_handler,
    "kompose.init.containers.name": kompose.init_container_handler,
    "kompose.security-context.fsgroup": kompose.fs_group_handler,
    "kompose.service.expose": network.service_handler,
    "kompose.service.expose.ingress-class-name": network.service_handler,
    "kompose.service.expose.tls-secret": network.service_handler,
    "kompose.service.external-traffic-policy": kompose.service_policy_handler,
    "kompose.service.group": grouping.pod_group_handler,
    **{_LIVENESS + name: probes.probes_handler
       for name in ("http_get_path", "http_get_port", "tcp_port")},
    **{_READINESS + name: probes.probes_handler
       for name in ("disable", "http_get_path", "http_get_port", "interval", "retries",
                    "start_period", "tcp_port", "test", "timeout")},
    "kompose.service.nodeport.port": kompose.service_policy_handler,
    "kompose.service.suffix-lb": _SUFFIX_LB,
    "kompose.service.suffix-lb-tcp": _SUFFIX_LB,
    "kompose.service.suffix-lb-udp": _SUFFIX_LB,
    "kompose.service.type": network.service_handler,
    "kompose.serviceaccount-name": kompose.service_account_handler,
    "kompose.volume.size": workloads.claim_templates,
    "kompose.volume.storage-class-name": workloads.claim_templates,
    # Read by the volume handler (bind and volume mounts: volumes.py).
    "kompose.volume.sub-path": volumes.volumes_handler,
    "kompose.volume.subpath": volumes.volumes_handler,
    "kompose.volume.type": volumes.volumes_handler,
}

# The order of a manifest's parts: each handler's diagnostics come in this order.
# Handlers every service runs, after those of its keys: placement, the workload and the
# objects around it, and the settings and Kompose labels that shape them.
_LAST = (
    placement.placement_handler,
    workloads.workload_handler,
    workloads.claim_templates,
    meta.deploy_labels_handler,
    network.service_handler,
    meta.service_annotations_handler,
    kompose.service_account_handler,
    kompose.fs_group_handler,
    kompose.init_container_handler,
    kompose.ephemeral_storage_handler,
    kompose.host_port_handler,
    kompose.service_policy_handler,
    jobs.cronjob_handler,
    jobs.autoscale_handler,
    grouping.pod_group_handler,
    kompose.labels_handler,
)
RUN_ORDER = (
    resolved_by_loader,
    network.links_handler,
    c.ports_handler,
    network.networks_handler,
    volumes.volumes_handler,
    meta.metadata_handler,
    meta.pod_annotations_handler,
    pod.depends_on_handler,
    c.image_handler,
    c.pull_policy_handler,
    c.command_handler,
    c.working_dir_handler,
    c.environment_handler,
    resources.resources_handler,
    probes.probes_handler,
    lifecycle.lifecycle_handler,
    c.security_handler,
    c.terminal_handler,
    pod.identity_handler,
    pod.grace_handler,
    pod.hosts_handler,
    pod.pod_security_handler,
    pod.dns_handler,
    pod.network_mode_handler,
    *_LAST,
)
# Handlers that read more than their keys: settings, the plan's artifact, Kompose labels,
# the dependencies the loader implies (links, network_mode/ipc service:X, volumes_from).
ALWAYS = frozenset({
    meta.metadata_handler,
    pod.depends_on_handler,
    c.image_handler,
    c.pull_policy_handler,
    resources.resources_handler,
    probes.probes_handler,
    *_LAST,
})
