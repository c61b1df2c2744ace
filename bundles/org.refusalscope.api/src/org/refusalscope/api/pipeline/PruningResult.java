package org.refusalscope.api.pipeline;

import java.util.List;

import org.refusalscope.api.FeatureRef;

/**
 * Outcome of stage 2.
 *
 * @param flipped    whether ablating the full candidate set flipped the prompt at all
 * @param minimalSet a 1-minimal flipping set (empty when nothing flips)
 * @param trace      every evaluation, in order
 */
public record PruningResult(boolean flipped, List<FeatureRef> minimalSet, List<EvaluationRecord> trace) {
}
