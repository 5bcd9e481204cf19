"""What an element of either release refers to, for the report: the actions whose messages
carry a form or a type (through the WSDL types), and the fields that use a code list."""

from __future__ import annotations


class Refs:
    def __init__(self, *documents: dict) -> None:
        # (service, api version, type) -> operations whose request or response reach it
        self.actions_of_type: dict[tuple[str, str, str], set[str]] = {}
        self.actions_of_type_name: dict[str, set[str]] = {}
        self.fields_of_codelist: dict[str, set[tuple[str, str]]] = {}  # (felt_id, form)
        for document in documents:
            for service in document.get("services") or []:
                self._service(service)
            for form in document.get("forms") or []:
                for field in form.get("fields") or []:
                    if field.get("codelist"):
                        self.fields_of_codelist.setdefault(field["codelist"], set()).add(
                            (field.get("felt_id") or "", form["name"])
                        )

    def _service(self, service: dict) -> None:
        types = {t["name"]: t for t in service.get("types") or []}
        for operation in service.get("operations") or []:
            reached: set[str] = set()
            todo = [
                p["type"]
                for p in (operation.get("request") or []) + (operation.get("response") or [])
            ]
            while todo:
                name = todo.pop()
                if name in reached:
                    continue
                reached.add(name)
                todo += [e["type"] for e in types.get(name, {}).get("elements") or []]
            for name in reached:
                key = (service["service"], service["api_version"], name)
                self.actions_of_type.setdefault(key, set()).add(operation["name"])
                self.actions_of_type_name.setdefault(name, set()).add(operation["name"])

    def actions_of_form(self, form: str) -> set[str]:
        return self.actions_of_type_name.get(form, set())

    def codelist_refs(self, codelist: str) -> dict[str, set[str]]:
        fields = self.fields_of_codelist.get(codelist, set())
        actions: set[str] = set()
        for _, form in fields:
            actions |= self.actions_of_form(form)
        return {"felt_ids": {felt_id for felt_id, _ in fields}, "actions": actions}
