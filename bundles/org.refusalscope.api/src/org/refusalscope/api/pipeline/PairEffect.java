package org.refusalscope.api.pipeline;

import org.refusalscope.api.FeatureRef;

/** The fitted interaction weight of a feature pair; negative pushes toward compliance when both are ablated. */
public record PairEffect(FeatureRef a, FeatureRef b, double weight) {
}
