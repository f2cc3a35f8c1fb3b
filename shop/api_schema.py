"""OpenAPI: the error format of ``shop.api_errors`` as a component, on every operation.

Registered in ``SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]``; an operation that documents
its own answer for a status (e.g. a 400 with a domain-specific body) keeps it.
"""

ERROR_SCHEMA = {
    "type": "object",
    "description": "Every error of the API has this shape (see docs/api.md).",
    "properties": {
        "error": {
            "type": "object",
            "properties": {
                "code": {
                    "type": "string",
                    "description": "Stable machine-readable code, e.g. invalid, not_found, "
                    "throttled.",
                },
                "message": {"type": "string", "description": "A sentence for a person."},
                "fields": {
                    "type": "object",
                    "description": "Validation messages per input field; nested inputs are "
                    "named with dots (items.3.quantity).",
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                },
            },
            "required": ["code", "message"],
        }
    },
    "required": ["error"],
}

_DESCRIPTIONS = {
    "400": "The request is not valid (a parameter, a field, or unparsable JSON).",
    "401": "No credentials, or credentials that are wrong, revoked or expired.",
    "403": "Signed in, but not allowed (e.g. a read-only API key on a write).",
    "404": "Nothing at this address, or not yours.",
    "409": "Conflicts with the current state of the resource.",
    "429": "Rate limit reached; retry after the seconds in Retry-After.",
}
_HEADERS = {
    "401": {
        "WWW-Authenticate": {
            "schema": {"type": "string"},
            "description": "The authentication scheme to use (Api-Key).",
        }
    },
    "429": {
        "Retry-After": {
            "schema": {"type": "integer"},
            "description": "Seconds to wait before the next request.",
        }
    },
}
_WRITE_METHODS = {"post", "put", "patch", "delete"}


def add_error_responses(result, generator, request, public):
    components = result.setdefault("components", {})
    components.setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    reference = {"$ref": "#/components/schemas/Error"}
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            for code, description in _DESCRIPTIONS.items():
                if code == "409" and method not in _WRITE_METHODS:
                    continue
                if code in operation["responses"]:
                    continue
                response = {
                    "description": description,
                    "content": {"application/json": {"schema": reference}},
                }
                if code in _HEADERS:
                    response["headers"] = _HEADERS[code]
                operation["responses"][code] = response
    return result
