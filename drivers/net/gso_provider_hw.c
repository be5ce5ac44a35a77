/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

/* Table-driven hardware families: being written (issue 2). */

#include "gso_providers.h"

const struct gso_offload_provider *const gso_hw_providers[] = {
	NULL,
};
