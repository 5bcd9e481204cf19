"""`smdb.models`: pydantic v2 models of the forms and the case, by datamodel-code-generator.

The input is the JSON Schema of `codegen.emitters.jsonschema` (built in memory, with its
properties in spec order so the model fields follow the form). datamodel-code-generator runs
in process with every option that shapes the output pinned here, its formatter included (the
builtin one: pure Python, deterministic and fast; black/isort add about half a second).

The output is then checked: the classes must be exactly the schema's (the forms' `...Skema`
and the case), each with exactly the schema's properties as field names, verbatim and without
aliases, so a renamed, suffixed (`_1`) or aliased field fails generation instead of shipping.
"""

from __future__ import annotations

import ast
import json
import sys

from codegen.cache import memo, source_of
from codegen.emitters import jsonschema
from codegen.emitters.context import EmitContext

MODULE = "models"
DOCSTRING = '''"""Pydantic v2 models of the SMDB forms and the case (`{root}`), release {release}.

Field names are DST's variable names, verbatim. Every form field is optional and may be null:
which fields must be filled in is a business rule, checked elsewhere. Code fields hold the code
strings of their code list (`"01"`); `model_dump(mode="json", exclude_none=True)` gives the
JSON form (dates as ISO strings).
"""
'''


def emit(context: EmitContext) -> dict[str, str]:
    schema = jsonschema.build_schema(context)
    header = context.python_header() + DOCSTRING.format(
        root=schema["title"], release=context.release
    )
    # datamodel-code-generator is the slowest step of generation: memoised on its inputs.
    code = memo(
        "models",
        (json.dumps(schema, sort_keys=True), header, _versions()),
        lambda: generate(schema, header),
    )
    check(code, schema)
    return {context.module_path(MODULE): code}


def _versions() -> str:
    from importlib.metadata import version

    return f"datamodel-code-generator {version('datamodel-code-generator')}\n" + source_of(
        sys.modules[__name__]
    )


def generate(schema: dict, header: str) -> str:
    """Run datamodel-code-generator on `schema`; the module's text, starting with `header`."""
    # Imported here: it is large, and only `smdbgen generate` needs it.
    from datamodel_code_generator import (
        DataModelType,
        InputFileType,
        LiteralType,
        PythonVersion,
        generate,
    )
    from datamodel_code_generator.format import Formatter

    code = generate(
        json.dumps(schema, ensure_ascii=False),
        input_file_type=InputFileType.JsonSchema,
        output_model_type=DataModelType.PydanticV2BaseModel,
        class_name=schema["title"],
        custom_file_header=header,
        disable_timestamp=True,
        target_python_version=PythonVersion.PY_311,
        enum_field_as_literal=LiteralType.All,
        use_standard_collections=True,
        use_union_operator=True,
        extra_fields="forbid",
        strict_nullable=True,  # a property with a default is not nullable unless it says so
        field_constraints=True,  # Field(ge=..., le=...) rather than conint(...)
        use_field_description=True,
        use_schema_description=True,
        use_double_quotes=True,
        formatters=[Formatter.BUILTIN],
        builtin_format_line_length=100,
    )
    if not isinstance(code, str):
        raise TypeError(f"datamodel-code-generator returned {type(code).__name__}, not one module")
    return code.rstrip("\n") + "\n"


def check(code: str, schema: dict) -> None:
    """Raise unless the classes and their fields are exactly the schema's, with no aliases."""
    expected = {schema["title"]: schema} | schema["$defs"]
    classes: dict[str, list[str]] = {}
    for node in ast.parse(code).body:
        if not isinstance(node, ast.ClassDef):
            continue
        bases = [ast.unparse(base) for base in node.bases]
        if bases != ["BaseModel"]:
            raise ValueError(f"models: class {node.name} derives from {bases}, not BaseModel")
        classes[node.name] = [
            item.target.id
            for item in node.body
            if isinstance(item, ast.AnnAssign)
            and isinstance(item.target, ast.Name)
            and item.target.id != "model_config"
        ]
    if set(classes) != set(expected):
        raise ValueError(
            f"models: classes {sorted(classes)} differ from the schema's {sorted(expected)}"
        )
    for name, fields in classes.items():
        wanted = list(expected[name]["properties"])
        if sorted(fields) != sorted(wanted):
            extra = sorted(set(fields) - set(wanted))
            missing = sorted(set(wanted) - set(fields))
            raise ValueError(
                f"models: {name} has fields not in the spec {extra} and lacks {missing}"
            )
    if "alias=" in code or "alias_generator" in code:
        raise ValueError("models: the generated code has aliases; field names must be verbatim")
