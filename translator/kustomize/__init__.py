"""A Kustomize layout: one base and an overlay per environment.

``base/`` holds the objects every environment renders, with only the fields they all
share, listed in ``base/kustomization.yaml``; images name their repository only.
``overlays/<env>/kustomization.yaml`` builds on ``../../base`` and adds, in this order
of preference, what the environment changes:

1. the kustomization's own fields, wherever they reproduce the objects exactly:
   ``namespace``, ``labels`` (objects and pod templates), ``replicas``, ``images``
   (the artifact versions) and ``replacements`` that copy each image's tag into the
   ``app.kubernetes.io/version`` labels (see :mod:`translator.kustomize.images`);
2. one patch with a kind-and-name ``target`` for the environment's annotations, which
   sit on a service's own objects but not on pod templates or shared objects;
3. one strategic merge patch per object for everything else (resources, placement,
   probes, exposure, storage...). The base is the intersection of the renderings, so a
   patch only adds fields and a strategic merge patch can always say it; JSON 6902
   patches, whose paths name list positions, would be no shorter for whole sub-trees and
   harder to read, so none are written;
4. whole objects that only some environments have (an Ingress, a NetworkPolicy, a
   StatefulSet where another environment runs a Deployment) live in those overlays.

The invariant: ``kubectl kustomize overlays/<env>`` gives the objects, field for field,
that ``translator convert --env <env>`` renders. Output is deterministic: every list is
sorted and no host path is written. Kustomizations and patches carry the managed-by label
(a no-op on the objects), so ``--prune`` knows them. :func:`set_image` edits one
``images:`` entry, so a version bump is a one-line diff.

Limits: a version label that is a digest prefix or ``latest`` cannot follow the image
(Kustomize cannot cut or default a value) and stays as rendered; ``build_layout`` reports
those with a ``kustomize.fixed-version`` note.
"""

from __future__ import annotations

from translator.kustomize.edit import set_image
from translator.kustomize.layout import build_layout
from translator.kustomize.overlay import EnvInfo

__all__ = ["EnvInfo", "build_layout", "set_image"]
