"""Enums stored as their value in a column and shown with a translated label: what every
feature's models use for statuses, kinds and reasons."""

import enum

import sqlalchemy as sa


class LabelledEnum(str, enum.Enum):
    """An enum whose members have a translated label (`labels()` maps member -> lazy string)."""

    @property
    def label(self) -> str:
        return str(type(self).labels()[self])

    @classmethod
    def labels(cls) -> dict:
        raise NotImplementedError

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(m.value, m.label) for m in cls]


def enum_column(enum_cls: type[enum.Enum], length: int = 20) -> sa.Enum:
    """A column holding the enum's values as plain strings (no database enum type)."""
    return sa.Enum(enum_cls, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e])
