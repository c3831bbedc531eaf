//! Collects GitHub organizations into `tenet_inventory` types.
