"""
The demo's field storage (the workbench's ``field-data`` service, see settings.py).
"""

import json

from workbench.models import XBlockState
from workbench.runtime import WorkbenchDjangoKeyValueStore
from xblock.runtime import KvsFieldData


class RequestFieldData(KvsFieldData):
    """
    The workbench's field storage, read and written the way the LMS's FieldDataCache does:
    each stored row (one per scope, block and user) is read once per request and written
    once per save, instead of one query per field read or written. The workbench builds
    its runtime, so this service, for each request: nothing is cached across requests.
    """

    def __init__(self):
        super().__init__(RequestKeyValueStore())


class RequestKeyValueStore(WorkbenchDjangoKeyValueStore):
    """One JSON row per (scope, block, user), kept for the request; see RequestFieldData."""

    def __init__(self):
        self.rows = {}

    def _row(self, key):
        ident = (key.scope, key.block_scope_id, key.user_id)
        if ident not in self.rows:
            record = XBlockState.get_for_key(key)
            self.rows[ident] = (record, json.loads(record.state))
        return self.rows[ident]

    def get(self, key):
        return self._row(key)[1][key.field_name]

    def has(self, key):
        return key.field_name in self._row(key)[1]

    def set(self, key, value):
        self.set_many({key: value})

    def delete(self, key):
        record, state = self._row(key)
        del state[key.field_name]
        self._write(record, state)

    def set_many(self, update_dict):
        changed = {}
        for key, value in update_dict.items():
            record, state = self._row(key)
            state[key.field_name] = value
            changed[id(record)] = (record, state)
        for record, state in changed.values():
            self._write(record, state)

    def _write(self, record, state):
        record.state = self._to_json_str(state)
        record.save(update_fields=["state"])
