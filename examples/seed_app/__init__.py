"""Example application built from the code blocks of the seed guidelines.

The modules below keep the seed's code as close to verbatim as possible, including its
performance anti-patterns: they are test material for `perfmod check` / `perfmod fix`.
Only missing imports were added so that every module compiles. The code is meant to be
read by perfmod, not run (several helpers it calls are not defined here).
"""
