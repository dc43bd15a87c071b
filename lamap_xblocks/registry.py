"""The block class of each step name, for code that reads records of any step (notebook, exports)."""

import importlib

CLASSES = {
    "question": "lamap_xblocks.question:QuestionBlock",
    "hypothesis": "lamap_xblocks.hypothesis:HypothesisBlock",
    "experiment": "lamap_xblocks.experiment:ExperimentBlock",
    "argumentation": "lamap_xblocks.argumentation:ArgumentationBlock",
}
STEP_ORDER = tuple(CLASSES)


def block_class(step):
    """The class of a step ("question"...), or None for an unknown name."""
    path = CLASSES.get(step)
    if path is None:
        return None
    module, name = path.split(":")
    return getattr(importlib.import_module(module), name)
