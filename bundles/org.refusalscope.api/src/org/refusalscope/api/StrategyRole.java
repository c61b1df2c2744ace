package org.refusalscope.api;

import org.refusalscope.api.judge.RefusalJudge;
import org.refusalscope.api.model.ModelBackend;
import org.refusalscope.api.pipeline.DirectionFinder;
import org.refusalscope.api.pipeline.FeatureCollector;
import org.refusalscope.api.pipeline.InteractionModel;
import org.refusalscope.api.pipeline.PruningStrategy;
import org.refusalscope.api.prompts.PromptSource;
import org.refusalscope.api.sae.SaeProvider;

/** The pluggable roles of the platform, with the ids used in JSON output and run configurations. */
public enum StrategyRole {

	MODEL_BACKEND("model-backend", ModelBackend.class),
	SAE_PROVIDER("sae-provider", SaeProvider.class),
	DIRECTION_FINDER("direction-finder", DirectionFinder.class),
	FEATURE_COLLECTOR("feature-collector", FeatureCollector.class),
	PRUNING_STRATEGY("pruning-strategy", PruningStrategy.class),
	INTERACTION_MODEL("interaction-model", InteractionModel.class),
	REFUSAL_JUDGE("refusal-judge", RefusalJudge.class),
	PROMPT_SOURCE("prompt-source", PromptSource.class);

	private final String id;
	private final Class<? extends Strategy<?>> serviceType;

	@SuppressWarnings({"unchecked", "rawtypes"})
	StrategyRole(String id, Class serviceType) {
		this.id = id;
		this.serviceType = serviceType;
	}

	public String id() {
		return id;
	}

	/** The service interface implementations are registered under. */
	public Class<? extends Strategy<?>> serviceType() {
		return serviceType;
	}

	public static StrategyRole forId(String id) {
		for(StrategyRole role : values()) {
			if(role.id.equals(id)) {
				return role;
			}
		}
		throw new IllegalArgumentException("unknown strategy role '" + id + "'");
	}
}
