package org.refusalscope.api.pipeline;

import org.refusalscope.api.FeatureRef;

/**
 * A feature collected in stage 1.
 *
 * @param feature the latent
 * @param cosine  cosine between its decoder row and the refusal direction
 * @param score   the collector's ranking score (equal to the cosine for the cosine collector)
 */
public record Candidate(FeatureRef feature, double cosine, double score) {
}
