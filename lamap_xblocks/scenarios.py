"""
Workbench scenarios: each step alone, two of the same step in one page, and a whole
investigation. They double as OLX examples (docs/authoring.md shows the same markup).
"""

QUESTION = """
<lamap_question display_name="What floats?" min_questions="2">
  <prompt>Look at the picture and read the situation. Which questions come to mind?
Write at least two, then choose the one you would like to investigate.</prompt>
  <situation>Léa empties her school bag into a basin of water: the **big wooden ruler**
floats, the *small steel key* sinks, the apple floats and the modelling-clay ball sinks.
"Heavy things sink," says her friend Tom. Léa is not so sure.</situation>
  <reference_questions>
    <question>Does the weight of an object decide whether it floats?</question>
    <question>Does a ball of clay still sink if we change its shape?</question>
    <question>Do objects float better in salty water?</question>
  </reference_questions>
</lamap_question>
"""

QUESTION_SHORT = """
<lamap_question display_name="{title}">
  <situation>{situation}</situation>
</lamap_question>
"""


def question_scenarios():
    return [
        ("Inquiry step: question", QUESTION),
        (
            "Inquiry step: two question blocks in one page",
            "<vertical_demo>"
            + QUESTION_SHORT.format(title="Dissolving", situation="A sugar cube vanishes in a cup of tea.")
            + QUESTION_SHORT.format(title="Shadows", situation="At noon your shadow is short, in the evening long.")
            + "</vertical_demo>",
        ),
    ]


HYPOTHESIS = """
<lamap_hypothesis display_name="Why do some things float?" min_hypotheses="1" max_hypotheses="4">
  <prompt>Your question: *does the weight of an object decide whether it floats?*
State what you think, why, and what you would observe if you are right.</prompt>
</lamap_hypothesis>
"""

EXPERIMENT = """
<lamap_experiment display_name="Does warm water dissolve sugar faster?" max_rows="20">
  <prompt>Plan a fair test: does the temperature of the water change how long a sugar cube
takes to dissolve? Predict first, then record at least three trials per temperature.</prompt>
  <columns>
    <column key="temperature" name="Water temperature" unit="°C" type="number" role="changed"/>
    <column key="time" name="Time to dissolve" unit="s" type="number" role="measured"/>
    <column key="notes" name="Notes" unit="" type="text" role="measured"/>
  </columns>
  <required_checks>
    <check>one_variable</check>
    <check>values</check>
  </required_checks>
</lamap_experiment>
"""

ARGUMENTATION = """
<lamap_argumentation display_name="What makes an object float?" min_evidence="2" require_limitations="true">
  <prompt>Answer the question *does the weight of an object decide whether it floats?*
with a claim backed by your observations.</prompt>
  <criteria>
    <criterion>The claim answers the question.</criterion>
    <criterion>Each piece of evidence comes from an observation or a measurement.</criterion>
    <criterion>The reasoning explains why the evidence supports the claim.</criterion>
  </criteria>
</lamap_argumentation>
"""


def _twice(xml, first, second):
    """Two blocks of the same type in one page: ids and handlers must stay apart."""
    return "<vertical_demo>" + xml.replace(first[0], first[1]) + xml.replace(second[0], second[1]) + "</vertical_demo>"


def hypothesis_scenarios():
    return [
        ("Inquiry step: hypothesis", HYPOTHESIS),
        (
            "Inquiry step: two hypothesis blocks in one page",
            _twice(HYPOTHESIS, ("Why do", "First: why do"), ("Why do", "Second: why do")),
        ),
    ]


def experiment_scenarios():
    return [
        ("Inquiry step: experiment", EXPERIMENT),
        (
            "Inquiry step: two experiment blocks in one page",
            _twice(EXPERIMENT, ("Does warm", "First: does warm"), ("Does warm", "Second: does warm")),
        ),
    ]


def argumentation_scenarios():
    return [
        ("Inquiry step: argumentation", ARGUMENTATION),
        (
            "Inquiry step: two argumentation blocks in one page",
            _twice(ARGUMENTATION, ("What makes", "First: what makes"), ("What makes", "Second: what makes")),
        ),
        (
            "Inquiry: the four steps in one page",
            "<vertical_demo>" + QUESTION + HYPOTHESIS + EXPERIMENT + ARGUMENTATION + "</vertical_demo>",
        ),
        ("Inquiry step: argumentation graded with a rubric", ARGUMENTATION_RUBRIC),
    ]


# Graded with a levelled rubric: the learner's own assessment, two peers, staff (rubric.py).
ARGUMENTATION_RUBRIC = """
<lamap_argumentation display_name="Your training session" peer_reviews="2" min_evidence="2">
  <prompt>Argue for your training session: what teachers will do, and why it will help them.</prompt>
  <example_arguments>
    <argument>A one-day session where teachers live the floating investigation, then analyse it.</argument>
    <argument>Three meetings over six weeks, with classroom visits in between.</argument>
  </example_arguments>
  <rubric>
    <level criterion="Every moment serves a goal" level="Not yet" points="0"
        description="The moments are listed, not justified."/>
    <level criterion="Every moment serves a goal" level="Partly" points="2"
        description="Some moments are linked to a goal."/>
    <level criterion="Every moment serves a goal" level="Fully" points="4"
        description="Each moment says which goal it serves."/>
    <level criterion="Adapted to the teachers' context" level="Not yet" points="0"
        description="A generic session."/>
    <level criterion="Adapted to the teachers' context" level="Yes" points="2"
        description="Materials, curriculum and language are named."/>
  </rubric>
</lamap_argumentation>
"""


# One investigation across pages: the same key links the steps, wherever they are.
INVESTIGATION = {
    "question": """
<lamap_question display_name="Floating and sinking: your question" investigation="floating" share_with_class="true">
  <situation>Léa empties her school bag into a basin of water: the big wooden ruler floats, the small
steel key sinks. "Heavy things sink," says Tom.</situation>
  <reference_questions>
    <question>Does the weight of an object decide whether it floats?</question>
  </reference_questions>
</lamap_question>
""",
    "hypothesis": """
<lamap_hypothesis display_name="Floating and sinking: your hypotheses" investigation="floating"
    share_with_class="true"/>
""",
    "experiment": """
<lamap_experiment display_name="Floating and sinking: your experiment" investigation="floating"
    chart_kind="scatter" chart_x="volume" chart_y="mass" chart_group="observed">
  <columns>
    <column key="object" name="Object" unit="" type="text" role="changed"/>
    <column key="mass" name="Mass" unit="g" type="number" role="measured"/>
    <column key="volume" name="Volume" unit="cm³" type="number" role="measured"/>
    <column key="predicted" name="Predicted" unit="" type="text" role="prediction"/>
    <column key="observed" name="Observed" unit="" type="text" role="measured"/>
  </columns>
</lamap_experiment>
""",
    "argumentation": """
<lamap_argumentation display_name="Floating and sinking: your argument" investigation="floating"
    share_with_class="true" peer_reviews="2">
  <criteria>
    <criterion>The claim answers the question.</criterion>
    <criterion>The evidence comes from observations or measurements.</criterion>
  </criteria>
  <example_arguments>
    <argument>Heavy objects sink. The key sank, so weight decides.</argument>
    <argument>The big log floated although it was heavier than the key, so weight alone does not decide:
what matters is how heavy an object is for its size.</argument>
  </example_arguments>
</lamap_argumentation>
""",
    "notebook": """
<lamap_notebook display_name="My science notebook: floating and sinking" investigation="floating">
  <prompt>What did you think before the investigation? What do you think now, and why?</prompt>
</lamap_notebook>
""",
}


def notebook_scenarios():
    pages = [
        (f"Investigation 'floating', {number}: {step}", xml)
        for number, (step, xml) in enumerate(INVESTIGATION.items(), start=1)
    ]
    pages.append(
        (
            "Notebook of the whole course",
            '<lamap_notebook display_name="My science notebook: the whole course"/>',
        )
    )
    return pages


# The analysis block: a classroom dialogue (transcript) and a pupil's notebook page (image).
ANALYSIS_CRITERIA = """
  <criteria>
    <criterion>A productive question</criterion>
    <criterion>Evidence of a misconception</criterion>
    <criterion>A teacher move that opens the discussion</criterion>
  </criteria>"""

ANALYSIS_TRANSCRIPT = (
    """
<lamap_analysis display_name="Analysing a classroom dialogue" min_marks="2" share_annotations="true">
  <prompt>Read the dialogue. Mark the moments that show each criterion and say what you see.</prompt>
  <artefact_title>The class compares its results on dissolving sugar</artefact_title>
  <transcript>Teacher: What did you notice in your glasses?
Lina: In the hot water the sugar went away faster.
Sam: The sugar disappeared. It's gone.
Teacher: Gone? What makes you say that?
Sam: We can't see it any more.
Ava: But the water tastes sweet, so it's still there!
Teacher: How could we find out if the sugar is still in the water?
Lina: We could weigh the glass before and after.</transcript>"""
    + ANALYSIS_CRITERIA
    + """
  <feedback_prompt>Write to the teacher: what would you tell them about this discussion?</feedback_prompt>
  <expert_marks>
    <mark target="3" criterion="2" comment="Sam thinks that dissolved sugar no longer exists: a common misconception."/>
    <mark target="4" criterion="3" comment="The teacher asks for Sam's reasons instead of correcting him."/>
    <mark target="7-8" criterion="1" comment="A question the class can answer by an experiment: weighing."/>
  </expert_marks>
  <expert_commentary>The teacher lets the misconception come out, asks for reasons, and turns the
disagreement into a question an experiment can answer.</expert_commentary>
</lamap_analysis>
"""
)

ANALYSIS_IMAGE = (
    """
<lamap_analysis display_name="Analysing a notebook page" artefact_kind="image" min_marks="1"
    image_url="/static/lamap-demo/notebook-sample.svg" share_annotations="true">
  <artefact_title>Noah's notebook page</artefact_title>
  <image_alt>A page of a pupil's science notebook. At the top, in handwriting: "My question: does sugar dissolve
faster in hot water? I think yes because hot water moves more." In the middle, two glasses drawn side by
side, labelled cold and hot, and beside them: "cold: 5 min, hot: 1 min". At the bottom: "Result: hot water is
faster. The sugar disappeared. Next time: the same amount of water in both glasses."</image_alt>"""
    + ANALYSIS_CRITERIA
    + """
  <feedback_prompt>Write to Noah, next to his page.</feedback_prompt>
  <expert_marks>
    <mark target="8,2,90,12" criterion="1" comment="A question an experiment can answer."/>
    <mark target="8,70,90,12" criterion="2" comment="“Disappeared”: the sugar is still in the water."/>
  </expert_marks>
</lamap_analysis>
"""
)


# The dialogue again, graded: learners score their analysis, two peers score it, staff may.
ANALYSIS_GRADED = ANALYSIS_TRANSCRIPT.replace(
    "<lamap_analysis ", '<lamap_analysis peer_reviews="2" rubric_wait_days="7" ', 1
).replace(
    "</lamap_analysis>",
    """  <rubric>
    <level criterion="Marks name what the moment shows" level="Not yet" points="0"
        description="Marks without a criterion that fits, or comments that retell the dialogue."/>
    <level criterion="Marks name what the moment shows" level="Partly" points="1"
        description="Most marks fit their criterion; some comments stay general."/>
    <level criterion="Marks name what the moment shows" level="Clearly" points="2"
        description="Each mark says what the pupils or the teacher do, with their words."/>
    <level criterion="Feedback the teacher can use" level="Not yet" points="0"
        description="Praise or blame only."/>
    <level criterion="Feedback the teacher can use" level="Yes" points="2"
        description="One strength and one next step, tied to a moment of the dialogue."/>
  </rubric>
</lamap_analysis>""",
)


def analysis_scenarios():
    return [
        ("Analysis of practice: a classroom dialogue", ANALYSIS_TRANSCRIPT),
        ("Analysis of practice: a notebook page", ANALYSIS_IMAGE),
        ("Analysis of practice: graded with a rubric by peers", ANALYSIS_GRADED),
    ]
