"""The national data set (`seed_demo --scale national`): a whole country's roadmaps, for the benchmarks.

Figures at NATIONAL sizes (the totals are exact; how they spread over regions, towns and roadmaps is
random, from one seeded random.Random, so two builds are equal):

- 89 regions and 2,500 municipalities;
- 42,768 organisations: a federal coordinator at the root of the tree, 89 regional authorities with two
  regional centres each (an institute of education development and a quality assessment centre), 2,500
  municipal authorities and 40,000 schools under them. Paths run /federal/region/town/school/, so a
  federal membership's scope (a path prefix, organizations/scope.py) is every region;
- 100,000 users with one membership each: about three in four are coordinators, most of them at schools;
  staff, analysts and observers sit in the authorities. All share one password hash (NATIONAL_PASSWORD);
- 5,000 roadmaps: 540 regional (in every region one of them is the «500+» programme, with hundreds of
  responsible schools in a large region), 2,260 municipal and 2,200 of schools; four in five approved,
  the rest drafts and archived, every approved or archived one with the legal act that approved it;
- 300,000 activities in sections and about 2.3 million responsibilities, mostly schools and municipal
  authorities of the roadmap's region;
- about 3 million checkpoints due across 2024–2026, from deadline wordings parsed by roadmaps.deadlines
  as the services parse them, in every status as of AS_OF, with the reporters, verifiers, times and
  CheckpointTransition rows the services would have written, and about 750,000 evidence links;
- indicators with a target for every year and the values reported so far.

The big tables are written with PostgreSQL COPY in batches of BATCH_ROWS rows; the foreign keys and
plain indexes of every table written are dropped for the load and rebuilt after it (which checks every
key), all in one transaction. Ids are assigned here, so the tables must start empty (--force empties
them first). Roadmap participants are derived afterwards by roadmaps.participation, as for any bulk
write. History is not written for generated rows (django-simple-history records people's changes, not
fixtures).
"""

from __future__ import annotations

from roadmaps.demo.national.common import AS_OF, KNOWN_LOGINS, NATIONAL, NATIONAL_PASSWORD, Sizes
from roadmaps.demo.national.writing import WRITTEN, load_national

__all__ = ["AS_OF", "KNOWN_LOGINS", "NATIONAL", "NATIONAL_PASSWORD", "WRITTEN", "Sizes", "load_national"]
