"""What the Kubernetes target does with every compose service key.

"mapped" keys may still lose parts in some inputs; the renderer reports those
conditional losses itself (naming service and key). Every other key is reported
by ``diagnose_keys`` whenever a service uses it.
"""

from __future__ import annotations

from translator.targets.base import KeySupport

_M = KeySupport("mapped")


def _drop(note: str) -> KeySupport:
    return KeySupport("dropped", note)


def _approx(note: str) -> KeySupport:
    return KeySupport("approximated", note)


_CGROUP = "cgroup tuning is a node/kubelet setting, not a pod field"

KEYS: dict[str, KeySupport] = {
    "annotations": _M,
    "attach": _drop("there is no attach in Kubernetes; use kubectl logs"),
    "blkio_config": _drop(_CGROUP),
    "build": _drop("Kubernetes runs the image artifact; build it in CI"),
    "cap_add": _M,
    "cap_drop": _M,
    "cgroup": _drop(_CGROUP),
    "cgroup_parent": _drop(_CGROUP),
    "command": _M,
    "configs": _M,
    "container_name": _drop("pod names come from the controller"),
    "cpu_count": _drop(_CGROUP),
    "cpu_percent": _drop(_CGROUP),
    "cpu_period": _drop(_CGROUP),
    "cpu_quota": _drop(_CGROUP),
    "cpu_rt_period": _drop(_CGROUP),
    "cpu_rt_runtime": _drop(_CGROUP),
    "cpu_shares": _drop("use deploy.resources.reservations.cpus (requests)"),
    "cpus": _M,
    "cpuset": _drop(_CGROUP),
    "credential_spec": _drop("Windows gMSA credential specs are not mapped"),
    "depends_on": _M,
    "deploy": _M,
    "develop": _drop("compose watch is a development feature"),
    "device_cgroup_rules": _drop(_CGROUP),
    "devices": _drop("host devices need a device plugin"),
    "dns": _M,
    "dns_opt": _M,
    "dns_search": _M,
    "domainname": _M,
    "entrypoint": _M,
    "env_file": _M,
    "environment": _M,
    "expose": _M,
    "extends": _M,  # resolved by the loader before rendering
    "external_links": _drop("links to containers outside the project do not exist in a cluster"),
    "extra_hosts": _M,
    "gpus": _drop("GPUs need a device plugin's extended resource (nvidia.com/gpu)"),
    "group_add": _M,
    "healthcheck": _M,
    "hostname": _M,
    "image": _M,
    "init": _drop("Kubernetes has no init process option; build tini into the image"),
    "ipc": _drop("IPC namespace sharing is not mapped"),
    "isolation": _drop("Windows isolation is not mapped"),
    "label_file": _M,  # read into labels by the loader
    "labels": _M,  # pod annotations; kompose.* labels configure the rendering
    "links": _M,  # Services are reachable by name; aliases are reported
    "logging": _drop("logging is configured per cluster, not per pod"),
    "mac_address": _drop("pods get their address from the network plugin"),
    "mem_limit": _M,
    "mem_reservation": _M,
    "mem_swappiness": _drop(_CGROUP),
    "memswap_limit": _drop("swap is a node setting"),
    "models": _drop("AI models are not mapped"),
    "network_mode": _M,
    "networks": _M,
    "oom_kill_disable": _drop(_CGROUP),
    "oom_score_adj": _drop("set by the kubelet from the QoS class"),
    "pid": _drop("PID namespace sharing is not mapped"),
    "pids_limit": _drop("the pod PID limit is a kubelet setting"),
    "platform": _M,  # nodeSelector kubernetes.io/os and kubernetes.io/arch
    "ports": _M,
    "post_start": _M,  # lifecycle.postStart exec
    "pre_stop": _M,  # lifecycle.preStop exec
    "privileged": _M,
    "profiles": _M,  # applied by the loader
    "provider": _drop("provider services are not mapped"),
    "pull_policy": _M,
    "pull_refresh_after": _drop("no refresh interval for image pulls"),
    "read_only": _M,
    "restart": _M,
    "runtime": _drop("use a RuntimeClass; not mapped"),
    "scale": _M,
    "secrets": _M,
    "security_opt": _M,
    "shm_size": _M,  # an emptyDir with medium Memory at /dev/shm
    "stdin_open": _M,
    "stop_grace_period": _M,
    "stop_signal": _drop("the stop signal comes from the image (STOPSIGNAL)"),
    "storage_opt": _drop("storage driver options are node settings"),
    "sysctls": _M,
    "tmpfs": _M,
    "tty": _M,
    "ulimits": _drop("ulimits are a container runtime setting"),
    "use_api_socket": _drop("there is no Docker API socket in a cluster"),
    "user": _M,
    "userns_mode": _drop("user namespaces (hostUsers) are not mapped"),
    "uts": _drop("UTS namespace sharing is not mapped"),
    "volumes": _M,
    "volumes_from": _drop("volumes are not shared between pods this way; use a named volume"),
    "working_dir": _M,
}
