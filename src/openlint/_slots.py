"""`direct_init`: a faster `__init__` for the frozen slotted dataclasses built in bulk.

A frozen dataclass's generated `__init__` stores each field through `object.__setattr__`, which
costs about twice what storing straight into the slot costs. Readers and checks build thousands of
small values a document (cells, locations, amounts, rows, hits), so for those classes the
`__init__` is generated here instead: the same parameters, defaults and resulting object, from
the dataclass's own field list, so that adding a field cannot leave it unset.
"""

from __future__ import annotations

import dataclasses


def direct_init(cls: type) -> type:
    """Class decorator, applied above `@dataclass(frozen=True, slots=True)`."""
    if hasattr(cls, "__post_init__"):  # the generated __init__ would silently skip it
        raise TypeError(f"direct_init does not support {cls.__name__}.__post_init__")
    fields = dataclasses.fields(cls)
    names: dict[str, object] = {}
    signature: list[str] = []
    body: list[str] = []
    for field in fields:
        if not field.init or field.default_factory is not dataclasses.MISSING or field.kw_only:
            raise TypeError(f"direct_init does not support field {cls.__name__}.{field.name} (no init, default_factory or kw_only)")
        names[f"_set_{field.name}"] = cls.__dict__[field.name].__set__  # the slot's own descriptor
        if field.default is dataclasses.MISSING:
            signature.append(field.name)
        else:
            names[f"_default_{field.name}"] = field.default
            signature.append(f"{field.name}=_default_{field.name}")
        body.append(f"    _set_{field.name}(self, {field.name})")
    source = f"def __init__(self, {', '.join(signature)}):\n" + "\n".join(body) + "\n"
    exec(source, names)  # noqa: S102 (source built from the class's field names only)
    init = names["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__doc__ = cls.__init__.__doc__
    cls.__init__ = init
    return cls
