/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

/* Provider lookup: a port's rte_eth_dev_info.driver_name selects the
 * family that knows its real limits; anything unknown gets the generic
 * derivation. */

#include <string.h>

#include "gso_providers.h"

static const struct gso_offload_provider *const virtual_providers[] = {
	&gso_provider_tap,
	&gso_provider_virtio,
	&gso_provider_vhost,
	&gso_provider_af_packet,
	&gso_provider_swdev,
	NULL,
};

bool
gso_provider_serves(const struct gso_offload_provider *p,
		const char *driver_name)
{
	if (p->driver_names == NULL || driver_name == NULL)
		return false;
	for (const char *const *n = p->driver_names; *n != NULL; n++)
		if (strcmp(*n, driver_name) == 0)
			return true;
	return false;
}

const struct gso_offload_provider *
gso_offload_provider_find(const char *driver_name)
{
	for (unsigned int i = 0; virtual_providers[i] != NULL; i++)
		if (gso_provider_serves(virtual_providers[i], driver_name))
			return virtual_providers[i];
	for (unsigned int i = 0; gso_hw_providers[i] != NULL; i++)
		if (gso_provider_serves(gso_hw_providers[i], driver_name))
			return gso_hw_providers[i];
	return &gso_provider_generic;
}
