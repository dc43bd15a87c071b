"""
A minimal XBlock runtime for the toolchain: it builds our blocks from authored values,
exports them to OLX, and parses OLX back, exactly as Studio's import would, with no
learner, no handlers and no database.
"""

from lxml import etree
from xblock.core import XBlock
from xblock.fields import ScopeIds
from xblock.runtime import DictKeyValueStore, KvsFieldData, MemoryIdManager, NullI18nService, Runtime


def setup_django():
    """The blocks translate through Django: give the command a minimal configuration."""
    import os

    import django
    from django.apps import apps
    from django.conf import settings

    if not settings.configured and not os.environ.get("DJANGO_SETTINGS_MODULE"):
        settings.configure(USE_I18N=True, LANGUAGE_CODE="en", INSTALLED_APPS=[])
    if not apps.ready:
        django.setup()


class BlockRuntime(Runtime):
    """Blocks in memory. Nothing is rendered, so URLs and events have nowhere to go."""

    def __init__(self):
        ids = MemoryIdManager()
        services = {"field-data": KvsFieldData(DictKeyValueStore()), "i18n": NullI18nService()}
        super().__init__(ids, ids, services=services)

    def new_block(self, block_type):
        """A fresh block of ``block_type`` with only its defaults."""
        def_id = self.id_generator.create_definition(block_type)
        usage_id = self.id_generator.create_usage(def_id)
        return self.construct_xblock(block_type, ScopeIds(None, block_type, def_id, usage_id))

    def from_element(self, element):
        """Parse one OLX element (a copy: parsing may consume attributes)."""
        node = etree.fromstring(etree.tostring(element))
        block_type = node.tag
        def_id = self.id_generator.create_definition(block_type, node.get("url_name"))
        usage_id = self.id_generator.create_usage(def_id)
        block_class = XBlock.load_class(block_type)
        return block_class.parse_xml(node, self, ScopeIds(None, block_type, def_id, usage_id))

    def handler_url(self, block, handler_name, suffix="", query="", thirdparty=False):
        return ""

    def resource_url(self, resource):
        return ""

    def local_resource_url(self, block, uri):
        return ""

    def publish(self, block, event_type, event_data):
        pass
