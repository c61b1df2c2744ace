package org.refusalscope.api.pipeline;

import java.util.List;

import org.refusalscope.api.FeatureRef;

/**
 * One evaluated ablation, kept so that the pruning curve can be drawn and the FM can reuse it.
 *
 * @param step    the step of the strategy, e.g. {@code full}, {@code drop 12:345}, {@code chunk 8}
 * @param set     the ablated set
 * @param score   refusal score
 * @param refused verdict
 * @param accepted whether the strategy kept this set as its new current set
 */
public record EvaluationRecord(String step, List<FeatureRef> set, double score, boolean refused, boolean accepted) {
}
