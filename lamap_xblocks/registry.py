"""The block class of each step name, for code that reads records of any step (notebook, exports)."""

import importlib

CLASSES = {
    "question": "lamap_xblocks.question:QuestionBlock",
    "hypothesis": "lamap_xblocks.hypothesis:HypothesisBlock",
    "experiment": "lamap_xblocks.experiment:ExperimentBlock",
    "argumentation": "lamap_xblocks.argumentation:ArgumentationBlock",
    "analysis": "lamap_xblocks.analysis:AnalysisBlock",
}
STEP_ORDER = ("question", "hypothesis", "experiment", "argumentation")  # the inquiry, in its order
NOTEBOOK_ORDER = (*STEP_ORDER, "analysis")  # the notebook: the inquiry, then the analyses of practice
# Every block type of the package (setup.py's entry points name the same classes).
BLOCK_TYPES = (*(f"lamap_{step}" for step in CLASSES), "lamap_notebook")


def block_class(step):
    """The class of a step ("question"...), or None for an unknown name."""
    path = CLASSES.get(step)
    if path is None:
        return None
    module, name = path.split(":")
    return getattr(importlib.import_module(module), name)
