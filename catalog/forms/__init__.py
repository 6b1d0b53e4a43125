"""Form classes, one per record, shared by the portal, the admin area and the public pages."""
