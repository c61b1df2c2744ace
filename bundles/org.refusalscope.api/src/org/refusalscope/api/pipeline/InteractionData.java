package org.refusalscope.api.pipeline;

import java.util.List;

import org.refusalscope.api.FeatureRef;

/**
 * Training data of an interaction model: ablation masks over a feature pool and the refusal score of each.
 *
 * @param pool      the features, index i of a mask refers to {@code pool.get(i)}
 * @param masks     {@code masks[row][i] == true} when feature i was ablated
 * @param targets   refusal score per row
 * @param testRows  rows held out for evaluation (the same split for every model compared)
 */
public record InteractionData(List<FeatureRef> pool, boolean[][] masks, double[] targets, int[] testRows) {
}
