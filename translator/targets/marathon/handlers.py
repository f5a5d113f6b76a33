"""The key handlers of one Marathon app, for templates/marathon/app.yaml.j2.

Each handler computes the template values of one compose key (or of keys that fill one
value together); translator/targets/marathon/keys.py says which key runs which. A handler
may read what an earlier one computed (``ctx.values``): the run order is the key table's.
App definition: https://mesosphere.github.io/marathon/docs/application-basics.html
"""

from __future__ import annotations

from translator.errors import TranslatorError
from translator.model.base import seconds_ceil
from translator.targets.base import APP_MARKER_LABEL, MANAGED_BY
from translator.targets.marathon import app
from translator.targets.marathon.context import AppContext, Values
from translator.targets.marathon.placement import constraints


def image(ctx: AppContext) -> Values:
    """the service's artifact (image:, an artifacts file entry or --image) is the docker image"""
    artifact = ctx.service.artifact
    if artifact is None:
        raise TranslatorError.at(
            f"service {ctx.name!r} has no artifact (image) to run on Marathon",
            ("services", ctx.name), code="marathon.no-artifact",
            hint="set image:, an artifacts file entry, or --image",
        )
    return {"image": artifact.reference}


def pull_policy(ctx: AppContext) -> Values:
    """always becomes forcePullImage"""
    return {"force_pull": ctx.service.pull_policy == "always"}


def privileged(ctx: AppContext) -> Values:
    """container.docker.privileged"""
    return {"privileged": ctx.service.privileged}


def command(ctx: AppContext) -> Values:
    """cmd (a shell command) or args; an entrypoint's executable is a docker parameter"""
    result = app.command(ctx.planned)
    entry = result.entrypoint
    return {
        "cmd": result.cmd,
        "args": result.args,
        "entrypoint_parameter": None if entry is None else _parameter("entrypoint", entry),
    }


def user(ctx: AppContext) -> Values:
    """an agent account name is the app's user; a uid or user:group the docker user parameter"""
    name = ctx.service.user
    if agent_user(name):
        return {"user": name}
    return {"user_parameter": None if name is None else _parameter("user", name)}


def working_dir(ctx: AppContext) -> Values:
    """passed as the docker `workdir` parameter"""
    path = ctx.service.working_dir
    return {"workdir_parameter": None if path is None else _parameter("workdir", path)}


def init(ctx: AppContext) -> Values:
    """passed as the docker `init` parameter"""
    return {"init_parameter": _parameter("init", "true") if ctx.service.init else None}


def deploy(ctx: AppContext) -> Values:
    """instances, cpus and mem per task, constraints and restart backoff"""
    cpus, mem = app.resources(ctx)
    backoff_seconds, backoff_factor = app.backoff(ctx.planned)
    return {
        "instances": app.instances(ctx.planned),
        "cpus": cpus,
        "mem": mem,
        "constraints": constraints(ctx),
        "backoff_seconds": backoff_seconds,
        "backoff_factor": backoff_factor,
    }


def environment(ctx: AppContext) -> Values:
    """env, with env_file values written into it"""
    return {"env": app.environment(ctx.planned)}


def labels(ctx: AppContext) -> Values:
    """service, deploy and environment labels, marathon-lb's, and the tool's marker"""
    exposure = ctx.values.get("exposure_labels") or {}
    merged = app.labels(ctx.planned, exposure, ctx.plan.environment.labels)
    return {"labels": {**merged, APP_MARKER_LABEL: MANAGED_BY}}


def healthcheck(ctx: AppContext) -> Values:
    """one Mesos health check: COMMAND from the test, MESOS_HTTP from an ingress exposure"""
    ports, port_key = ctx.values["ports"], ctx.values["port_key"]
    return {"health_checks": app.health_checks(ctx, ports, port_key)}


def depends_on(ctx: AppContext) -> Values:
    """absolute app ids in dependencies: Marathon deploys them first"""
    return {"dependencies": app.dependencies(ctx)}


def stop_grace_period(ctx: AppContext) -> Values:
    """taskKillGracePeriodSeconds"""
    grace = ctx.service.stop_grace_period
    return {"kill_grace_seconds": None if grace is None else seconds_ceil(grace)}


def docker_parameters(ctx: AppContext) -> Values:
    """docker CLI parameters for what the app definition has no field for"""
    # https://mesosphere.github.io/marathon/docs/native-docker.html#privileged-mode-and-arbitrary-docker-options
    values = ctx.values
    own = (values.get(f"{k}_parameter") for k in ("entrypoint", "workdir", "init", "user"))
    return {"parameters": [*(p for p in own if p is not None), *values["volume_parameters"]]}


def resolved_before_rendering(ctx: AppContext) -> Values:
    """resolved before rendering (extends by the loader, profiles by the plan)"""
    return {}


def agent_user(user: str | None) -> bool:
    """Marathon's ``user`` names an account Mesos looks up on the agent, so only a plain
    name goes there; a uid or ``user:group`` form goes to ``docker run --user``, which
    takes every form compose does.
    https://docs.docker.com/reference/cli/docker/container/run/#user
    """
    return user is not None and ":" not in user and not user.isdigit()


def _parameter(key: str, value: str) -> dict[str, str]:
    return {"key": key, "value": value}
