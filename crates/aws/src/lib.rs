//! Collects AWS accounts into `tenet_inventory` types.
