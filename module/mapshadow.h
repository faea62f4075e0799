/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MAPSHADOW_H
#define MAPSHADOW_H

#define MS_VERSION "0.1.0"

#endif /* MAPSHADOW_H */
