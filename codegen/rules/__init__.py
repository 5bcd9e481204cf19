"""Business rules as data: spec/rules/*.yaml -> `Rule`s -> check functions in smdb.validation.

`loader` reads and checks the YAML, `expressions` checks and translates the rule language
(spec/rules/README.md), `compiler` turns a rule into its function's source, `layout` is the
case as rules see it, `examples` applies examples to the base case.
"""
