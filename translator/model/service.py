"""A compose service in semantic form: parsed once, typed, frozen."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from translator.model.artifact import Artifact
from translator.model.base import Bytes, Cpus, Frozen, JsonValue, Nanoseconds, PortNumber
from translator.model.hostfiles import HostSource
from translator.model.topology import Topology


class PortRange(Frozen):
    start: PortNumber
    end: PortNumber

    def __str__(self) -> str:
        return str(self.start) if self.start == self.end else f"{self.start}-{self.end}"

    @property
    def single(self) -> bool:
        return self.start == self.end


class ExposedPort(PortRange):
    """An ``expose:`` entry: a container port or range, and its protocol."""

    protocol: Literal["tcp", "udp", "sctp"] = "tcp"

    def __str__(self) -> str:
        # Compose's own spelling: ``53/udp``; tcp is the default and goes unsaid.
        rng = super().__str__()
        return rng if self.protocol == "tcp" else f"{rng}/{self.protocol}"


class Port(Frozen):
    """One published or exposed container port (Compose's long syntax).

    https://github.com/compose-spec/compose-spec/blob/main/05-services.md#ports
    """

    target: PortNumber
    published: PortRange | None = None
    host_ip: str | None = None
    protocol: str = "tcp"
    mode: Literal["ingress", "host"] = "ingress"
    name: str | None = None
    app_protocol: str | None = None


class BindOptions(Frozen):
    propagation: str | None = None
    create_host_path: bool | None = None
    selinux: Literal["z", "Z"] | None = None
    recursive: str | None = None


class VolumeOptions(Frozen):
    nocopy: bool | None = None
    subpath: str | None = None
    labels: dict[str, str] = Field(default_factory=dict)


class TmpfsOptions(Frozen):
    size: Bytes | None = None
    mode: int | None = None


class Mount(Frozen):
    """An entry of ``volumes:`` in long form.

    For ``bind`` the source is a path relative to the project directory when
    the compose file wrote it so, never made absolute: outputs carry no host paths.
    """

    type: Literal["volume", "bind", "tmpfs", "npipe", "cluster", "image"]
    target: str
    source: str | None = None
    read_only: bool = False
    consistency: str | None = None
    bind: BindOptions | None = None
    volume: VolumeOptions | None = None
    tmpfs: TmpfsOptions | None = None
    image_subpath: str | None = None
    # A bind's source as the loader found it; never written back to compose output.
    host: HostSource | None = Field(default=None, repr=False)


class HealthTest(Frozen):
    """``CMD`` runs ``command`` directly; ``CMD-SHELL`` runs ``command[0]`` in the image's shell."""

    kind: Literal["CMD", "CMD-SHELL", "NONE"]
    command: tuple[str, ...] = ()


class Healthcheck(Frozen):
    # None: inherit the image's test, only override timings.
    test: HealthTest | None = None
    interval: Nanoseconds | None = None
    timeout: Nanoseconds | None = None
    start_period: Nanoseconds | None = None
    start_interval: Nanoseconds | None = None
    retries: int | None = Field(default=None, ge=0)
    disable: bool = False

    @property
    def disabled(self) -> bool:
        return self.disable or (self.test is not None and self.test.kind == "NONE")


class Dependency(Frozen):
    condition: Literal[
        "service_started", "service_healthy", "service_completed_successfully"
    ] = "service_started"
    restart: bool = False
    required: bool = True


class ServiceNetwork(Frozen):
    aliases: tuple[str, ...] = ()
    ipv4_address: str | None = None
    ipv6_address: str | None = None
    link_local_ips: tuple[str, ...] = ()
    mac_address: str | None = None
    priority: int | None = None
    gw_priority: int | None = None
    interface_name: str | None = None
    driver_opts: dict[str, str] = Field(default_factory=dict)


class FileReference(Frozen):
    """A service's use of a top-level secret or config."""

    source: str
    target: str | None = None
    uid: str | None = None
    gid: str | None = None
    mode: int | None = None


class Ulimit(Frozen):
    soft: int
    hard: int
    # Compose's single-number form (``nofile: 1024``) sets soft and hard alike.
    single: bool = False


class Logging(Frozen):
    driver: str | None = None
    options: dict[str, str | None] = Field(default_factory=dict)


class EnvFile(Frozen):
    """An ``env_file`` entry, with the values read from it at load time."""

    path: str
    required: bool = True
    format: str | None = None
    values: dict[str, str | None] = Field(default_factory=dict)


class Build(Frozen):
    context: str = "."
    dockerfile: str | None = None
    dockerfile_inline: str | None = None
    target: str | None = None
    args: dict[str, str | None] = Field(default_factory=dict)
    # Everything else under build: (cache_from, platforms, secrets, ssh …), normalized JSON.
    options: dict[str, JsonValue] = Field(default_factory=dict)


class Service(Frozen):
    name: str
    # The artifact; None for a ``build:``-only service until one is given.
    artifact: Artifact | None = None
    build: Build | None = None
    pull_policy: str | None = None
    platform: str | None = None

    command: tuple[str, ...] | None = None
    entrypoint: tuple[str, ...] | None = None
    working_dir: str | None = None
    user: str | None = None
    hostname: str | None = None
    domainname: str | None = None
    container_name: str | None = None

    # Merged as Compose does: env_file values first, then environment:. None = pass-through.
    environment: dict[str, str | None] = Field(default_factory=dict)
    env_files: tuple[EnvFile, ...] = ()
    labels: dict[str, str] = Field(default_factory=dict)
    annotations: dict[str, str] = Field(default_factory=dict)

    ports: tuple[Port, ...] = ()
    expose: tuple[ExposedPort, ...] = ()
    volumes: tuple[Mount, ...] = ()
    # Service-level ``tmpfs:`` paths (``/run`` or ``/run:size=64k``), split into target and options.
    tmpfs: tuple[Mount, ...] = ()
    healthcheck: Healthcheck | None = None
    depends_on: dict[str, Dependency] = Field(default_factory=dict)
    links: tuple[str, ...] = ()
    external_links: tuple[str, ...] = ()
    volumes_from: tuple[str, ...] = ()
    # None value: attached with no per-network options.
    networks: dict[str, ServiceNetwork | None] = Field(default_factory=dict)
    network_mode: str | None = None
    secrets: tuple[FileReference, ...] = ()
    configs: tuple[FileReference, ...] = ()

    cap_add: tuple[str, ...] = ()
    cap_drop: tuple[str, ...] = ()
    privileged: bool | None = None
    read_only: bool | None = None
    security_opt: tuple[str, ...] = ()
    sysctls: dict[str, str] = Field(default_factory=dict)
    ulimits: dict[str, Ulimit] = Field(default_factory=dict)
    devices: tuple[JsonValue, ...] = ()

    dns: tuple[str, ...] = ()
    dns_search: tuple[str, ...] = ()
    dns_opt: tuple[str, ...] = ()
    # host name -> addresses, in the order written.
    extra_hosts: dict[str, tuple[str, ...]] = Field(default_factory=dict)

    init: bool | None = None
    tty: bool | None = None
    stdin_open: bool | None = None
    stop_grace_period: Nanoseconds | None = None
    stop_signal: str | None = None
    logging: Logging | None = None

    # Compose-engine (non-Swarm) resource and restart keys, kept as written.
    restart: str | None = None
    cpus: Cpus | None = None
    mem_limit: Bytes | None = None
    mem_reservation: Bytes | None = None
    memswap_limit: int | None = None
    shm_size: Bytes | None = None
    pids_limit: int | None = None
    scale: int | None = None

    profiles: tuple[str, ...] = ()
    topology: Topology = Field(default_factory=Topology)
    # Whether the compose file had a ``deploy:`` key (Compose prints ``deploy`` only then).
    has_deploy: bool = False

    # Keys the model does not type (blkio_config, cgroup, develop, gpus …), normalized JSON.
    extras: dict[str, JsonValue] = Field(default_factory=dict)
    # ``x-*`` extension fields of the service.
    extensions: dict[str, JsonValue] = Field(default_factory=dict)
    # The top-level keys the service had after merging, for "mapped or diagnosed" checks.
    source_keys: tuple[str, ...] = ()

    @property
    def image(self) -> str | None:
        return None if self.artifact is None else self.artifact.reference
