"""post_start and pre_stop hooks as container lifecycle handlers.

https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#lifecycle-1
A Kubernetes hook is one exec handler run as the container's user; compose hooks
may also set user, privileged, working_dir and environment, which are reported.
"""

from __future__ import annotations

import shlex
from typing import Any

from translator.model import PlannedService
from translator.targets.kubernetes.context import Context, Unit

HOOKS = (("post_start", "postStart"), ("pre_stop", "preStop"))


def _command(raw: object) -> list[str] | None:
    """Compose parses a string command with shell word rules, as for ``command:``."""
    if isinstance(raw, str):
        try:
            return shlex.split(raw)
        except ValueError:
            return None
    if isinstance(raw, list) and raw and all(isinstance(p, str) for p in raw):
        return [str(p) for p in raw]
    return None


def _hook(ctx: Context, planned: PlannedService, key: str, hooks: list[Any]) -> list[str] | None:
    commands: list[list[str]] = []
    for index, hook in enumerate(hooks):
        command = _command(hook.get("command")) if isinstance(hook, dict) else None
        if not command:
            ctx.warn(planned.name, key, "a hook without a command is dropped", index)
            continue
        extra = sorted(k for k in hook if k != "command")
        if extra:
            ctx.warn(planned.name, key, f"hook {', '.join(extra)} cannot be set on a Kubernetes "
                     "lifecycle handler; it runs as the container does", index)
        commands.append(command)
    if len(commands) > 1:
        # One handler per hook: run them in order, stopping at the first failure, as compose.
        ctx.warn(planned.name, key, "several hooks are joined into one sh -c handler")
        return ["sh", "-c", " && ".join(shlex.join(c) for c in commands)]
    return commands[0] if commands else None


def lifecycle(ctx: Context, planned: PlannedService) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, field in HOOKS:
        hooks = planned.service.extras.get(key)
        if not isinstance(hooks, list) or not hooks:
            continue
        command = _hook(ctx, planned, key, hooks)
        if command is not None:
            out[field] = {"exec": {"command": command}}
    return out


def lifecycle_handler(ctx: Context, unit: Unit) -> None:
    """post_start and pre_stop -> the container's lifecycle exec handlers."""
    unit.values["lifecycle"] = lifecycle(ctx, unit.planned)
