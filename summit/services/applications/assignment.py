"""Balanced jury assignment, pure: no database, so the benchmark and the tests call it as is.

Every application gets K reviewers (or as many as are free of conflicts), nobody reviews
an application they are in conflict with, and the load stays even: applications are served
most-constrained first (fewest eligible jurors), each taking the least-loaded eligible
jurors. Assignments that exist already (made by hand, or reviewed) are kept and counted.
"""

import heapq
from dataclasses import dataclass, field


@dataclass
class Plan:
    added: list[tuple[int, int]] = field(default_factory=list)  # (application, juror)
    loads: dict[int, int] = field(default_factory=dict)  # juror -> applications in total
    short: list[int] = field(default_factory=list)  # applications left with fewer than K

    @property
    def spread(self) -> int:
        """Most loaded minus least loaded juror."""
        return max(self.loads.values()) - min(self.loads.values()) if self.loads else 0


def plan(applications: list[int], jurors: list[int], k: int, *,
         conflicts: set[tuple[int, int]] = frozenset(),
         existing: set[tuple[int, int]] = frozenset()) -> Plan:
    """Add assignments so that each application has k reviewers; see the module's doc."""
    result = Plan(loads={juror: 0 for juror in jurors})
    have: dict[int, set[int]] = {application: set() for application in applications}
    for application, juror in existing:
        if application in have and juror in result.loads:
            have[application].add(juror)
            result.loads[juror] += 1
    blocked: dict[int, set[int]] = {}
    for application, juror in conflicts:
        blocked.setdefault(application, set()).add(juror)
    juror_set = set(jurors)

    def free(application: int) -> int:
        return len(juror_set - blocked.get(application, set()) - have[application])

    order = sorted(applications, key=lambda a: (free(a) - (k - len(have[a])), a))
    for application in order:
        needed = k - len(have[application])
        if needed <= 0:
            continue
        taken = have[application] | blocked.get(application, set())
        chosen = heapq.nsmallest(needed, (j for j in jurors if j not in taken),
                                 key=lambda j: (result.loads[j], j))
        for juror in chosen:
            result.loads[juror] += 1
            have[application].add(juror)
            result.added.append((application, juror))
        if len(chosen) < needed:
            result.short.append(application)
    return result
