"""Fast pickling for the frozen records a build hands to the next one."""

from __future__ import annotations

from dataclasses import fields
from typing import Any, TypeVar

Record = TypeVar("Record", bound=type)


def by_fields(cls: Record) -> Record:
    """Pickle a frozen slots dataclass as its class and a tuple of its field values.

    The state methods that dataclasses generate for frozen slots classes call
    `dataclasses.fields()` for every object, which dominated saving and loading the state of
    100,000 stories; a plain tuple of values is several times faster and just as exact.
    """
    names = tuple(field.name for field in fields(cls))

    def __reduce__(self: Any) -> tuple[type, tuple[Any, ...]]:
        return cls, tuple(getattr(self, name) for name in names)

    cls.__reduce__ = __reduce__  # type: ignore[method-assign]
    return cls
