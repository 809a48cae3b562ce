"""Every check module; importing this package registers all rules."""

from analysis.checks import (  # noqa: F401  (imported for registration)
    arithmetic,
    classification,
    codes,
    completeness,
    execution,
    history,
    metadata,
    narrative,
    parse_quality,
    performance,
    presence,
    restated,
    statements,
    structure,
    three_public,
)
