"""
lamap-xblocks: Open edX XBlocks for inquiry-based science education, after
La main à la pâte's method (question, hypotheses, experiment, argumentation).
"""

__version__ = "0.1.0"
