"""Data tools: the seed-file reader, the seeder, the synthetic generator, import and export.

They write through the same services as the portal, so every rule applies to seeded data too.
"""
