package org.refusalscope.api.model;

import java.util.List;

/** An ordered list of edits applied together in one forward pass (and every generation step). */
public record InterventionPlan(List<Edit> edits) {

	public static final InterventionPlan NONE = new InterventionPlan(List.of());

	public InterventionPlan {
		edits = List.copyOf(edits);
	}

	public boolean isEmpty() {
		return edits.isEmpty();
	}

	/** Lowest layer touched by an edit, {@code Integer.MAX_VALUE} if none; layers below it can be shared. */
	public int firstEditedLayer() {
		int first = Integer.MAX_VALUE;
		for(Edit edit : edits) {
			first = Math.min(first, edit.layer() == Edit.ALL_LAYERS ? 0 : edit.layer());
		}
		return first;
	}
}
