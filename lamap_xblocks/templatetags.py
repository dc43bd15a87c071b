"""
``{% trans %}`` and ``{% blocktrans %}`` for our templates, translated by the block's
own Translator (``_`` in the context) instead of Django's process-wide catalog.

The tags keep Django's syntax, so ``makemessages`` extracts them as usual; rendering
needs no global state, so concurrent requests in different languages cannot mix.
Supported: ``{% trans "text" [context "ctx"] [as var] %}``; ``{% blocktrans [with a=b ...]
[count n=x] [trimmed] [asvar var] %}...{% plural %}...{% endblocktrans %}`` with plain
``{{ name }}`` variables. A context (``context "button"``) makes a common word the block's own
message, so a platform catalog that knows the word cannot show another translation of it.
"""

from django.template import Library, Node, TemplateSyntaxError, Variable
from django.template.base import TokenType, token_kwargs
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import trim_whitespace

from . import markup

register = Library()


def _translator(context):
    return context["_"]


class TransNode(Node):
    """A literal message, translated and escaped."""

    def __init__(self, message, asvar, message_context=None):
        self.message = message
        self.asvar = asvar
        self.message_context = message_context

    def render(self, context):
        translator = _translator(context)
        if self.message_context:
            text = translator.pgettext(self.message_context, self.message)
        else:
            text = translator.gettext(self.message)
        if self.asvar:
            context[self.asvar] = text
            return ""
        return conditional_escape(text)


@register.tag("trans")
@register.tag("translate")
def do_trans(parser, token):
    bits = token.split_contents()
    message_context = asvar = None
    options = bits[2:]
    while options:
        option = options.pop(0)
        if option in ("context", "as") and options:
            value = options.pop(0)
            if option == "as":
                asvar = value
            else:
                message_context = Variable(value).literal
                if not isinstance(message_context, str):
                    raise TemplateSyntaxError(f"'{bits[0]}' needs a quoted context, got {value}")
        else:
            raise TemplateSyntaxError(f"'{bits[0]}' takes a quoted string, then 'context \"...\"' and 'as name'")
    literal = Variable(bits[1]).literal if len(bits) > 1 else None
    if not isinstance(literal, str):
        raise TemplateSyntaxError(f"'{bits[0]}' needs a quoted string")
    return TransNode(str(literal), asvar, message_context)


class BlockTransNode(Node):
    """A message with variables (and an optional plural), translated then filled in."""

    def __init__(self, extra, singular, plural, counter, *, trimmed=False, asvar=None):  # noqa: PLR0913
        self.asvar = asvar
        self.extra = extra
        self.singular = singular
        self.plural = plural
        self.counter = counter  # (name, FilterExpression) or None
        self.trimmed = trimmed

    def _message(self, tokens):
        parts, names = [], []
        for token in tokens:
            if token.token_type == TokenType.TEXT:
                parts.append(token.contents.replace("%", "%%"))
            else:
                parts.append(f"%({token.contents})s")
                names.append(token.contents)
        message = "".join(parts)
        return (trim_whitespace(message) if self.trimmed else message), names

    def render(self, context):
        values = {name: expr.resolve(context) for name, expr in self.extra.items()}
        singular, names = self._message(self.singular)
        translate = _translator(context)
        if self.counter:
            name, expr = self.counter
            count = expr.resolve(context)
            values[name] = count
            plural, plural_names = self._message(self.plural)
            names += plural_names
            text = translate.ngettext(singular, plural, count)
        else:
            text = translate.gettext(singular)
        with context.push(values):
            data = {name: conditional_escape(Variable(name).resolve(context)) for name in set(names)}
        # Escaping leaves "%(name)s" and "%%" intact, so the escaped text formats safely.
        result = mark_safe(str(conditional_escape(text)) % data)
        if self.asvar:
            context[self.asvar] = result
            return ""
        return result


@register.tag("blocktrans")
@register.tag("blocktranslate")
def do_blocktrans(parser, token):
    bits = token.split_contents()
    extra, counter, trimmed, asvar = {}, None, False, None
    remaining = bits[1:]
    while remaining:
        option = remaining.pop(0)
        if option == "with":
            extra.update(token_kwargs(remaining, parser, support_legacy=True))
        elif option == "count":
            kwargs = token_kwargs(remaining, parser, support_legacy=True)
            if len(kwargs) != 1:
                raise TemplateSyntaxError("'count' takes exactly one name=value")
            counter = next(iter(kwargs.items()))
        elif option == "trimmed":
            trimmed = True
        elif option == "asvar" and remaining:
            asvar = remaining.pop(0)
        else:
            raise TemplateSyntaxError(f"unsupported blocktrans option {option!r}")
    singular, plural = [], []
    target = singular
    while parser.tokens:
        token = parser.next_token()
        if token.token_type in (TokenType.VAR, TokenType.TEXT):
            target.append(token)
            continue
        if token.token_type == TokenType.BLOCK and token.contents.strip() == "plural" and counter:
            target = plural
            continue
        if token.token_type == TokenType.BLOCK and token.contents.strip() in ("endblocktrans", "endblocktranslate"):
            return BlockTransNode(extra, singular, plural, counter, trimmed=trimmed, asvar=asvar)
        raise TemplateSyntaxError(f"blocktrans allows only {{{{ name }}}} inside, not {token.contents!r}")
    raise TemplateSyntaxError("blocktrans is not closed")


@register.filter
def numbered(label, number):
    """``"Question {number}"|numbered:2`` -> ``"Question 2"`` (JavaScript renumbers the same way)."""
    return str(label).replace("{number}", str(number))


@register.filter
def id_part(prefix, part):
    """``field.id|id_part:index`` -> ``"<id>-<index>"`` (Django's ``add`` gives "" for text and a number)."""
    return f"{prefix}-{part}"


@register.filter
def get_item(mapping, key):
    """``record|get_item:key``: a dict value by a variable key (None when absent)."""
    return mapping.get(key) if isinstance(mapping, dict) else None


@register.filter
def get_item_at(sequence, index):
    """``values|get_item_at:2``: an item by position (None when out of range or no list)."""
    try:
        return sequence[index]
    except (IndexError, TypeError, KeyError):
        return None


@register.simple_tag(takes_context=True)
def line_list(context, name, values, **given):
    """
    A list the learner edits line by line (markup.line_list): ``{% line_list "materials"
    state.materials item_label=... add_label=... max_items=30 max_length=200 orderable=False %}``.
    """
    options = {"orderable": False, "multiline": False, "datalist": "", **given}
    options.update(uid=context["uid"], name=name, gettext=_translator(context).gettext)
    return mark_safe(markup.line_list(options, values or []))  # noqa: S308  # every value escaped there
