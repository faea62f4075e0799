/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MAPSHADOW_SHADOW_STATE_H
#define MAPSHADOW_SHADOW_STATE_H

/*
 * A folio's standing:
 *  adopted       mapped before we could see it; counted but never checked,
 *                until it is seen fully unmapped once
 *  strict        complete history: checked
 *  unverifiable  a path we cannot follow (an unarmed hook) changed it;
 *                never reported, strict again once seen fully unmapped
 */
enum ms_state {
	MS_STATE_ADOPTED,
	MS_STATE_STRICT,
	MS_STATE_UNVERIFIABLE,
	MS_NR_STATES,
};

#endif /* MAPSHADOW_SHADOW_STATE_H */
