package org.refusalscope.core.registry;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.refusalscope.api.Strategy;
import org.refusalscope.api.StrategyRole;
import org.refusalscope.api.judge.RefusalJudge;
import org.refusalscope.api.model.ModelBackend;
import org.refusalscope.api.pipeline.DirectionFinder;
import org.refusalscope.api.pipeline.FeatureCollector;
import org.refusalscope.api.pipeline.InteractionModel;
import org.refusalscope.api.pipeline.PruningStrategy;
import org.refusalscope.api.prompts.PromptSource;
import org.refusalscope.api.sae.SaeProvider;
import org.refusalscope.core.json.Json;

/**
 * The whiteboard of all strategies: DS binds every registered implementation of every role dynamically, so a
 * bundle dropped into the product (or installed at runtime) appears here without rebuilding the core.
 */
@Component(service = StrategyRegistry.class, immediate = true)
public class StrategyRegistry {

	private final Map<StrategyRole, List<Strategy<?>>> byRole = new EnumMap<>(StrategyRole.class);

	public StrategyRegistry() {
		for(StrategyRole role : StrategyRole.values()) {
			byRole.put(role, new CopyOnWriteArrayList<>());
		}
	}

	/** All strategies of a role, sorted by id. */
	public List<Strategy<?>> strategies(StrategyRole role) {
		List<Strategy<?>> list = new ArrayList<>(byRole.get(role));
		list.sort(Comparator.comparing(Strategy::id));
		return list;
	}

	/** The strategy of {@code role} with {@code id}, if registered. */
	public Optional<Strategy<?>> find(StrategyRole role, String id) {
		return byRole.get(role).stream().filter(s -> s.id().equals(id)).findFirst();
	}

	/** Like {@link #find} but fails with a message listing what is available. */
	@SuppressWarnings("unchecked")
	public <T extends Strategy<?>> T require(StrategyRole role, String id) {
		return (T) find(role, id).orElseThrow(() -> new IllegalArgumentException("no " + role.id() + " with id '" + id
				+ "'; available: " + strategies(role).stream().map(Strategy::id).toList()));
	}

	/** Descriptors of every registered strategy, by role. */
	public Map<StrategyRole, List<StrategyDescriptor>> describeAll() {
		Map<StrategyRole, List<StrategyDescriptor>> out = new EnumMap<>(StrategyRole.class);
		for(StrategyRole role : StrategyRole.values()) {
			out.put(role, strategies(role).stream().map(s -> describe(role, s)).toList());
		}
		return out;
	}

	static StrategyDescriptor describe(StrategyRole role, Strategy<?> strategy) {
		Bundle bundle = FrameworkUtil.getBundle(strategy.getClass());
		Object settings = strategy.defaultSettings();
		return new StrategyDescriptor(role, strategy.id(), strategy.name(), strategy.description(),
				bundle == null ? "" : bundle.getSymbolicName(), settings == null ? "{}" : Json.write(settings));
	}

	private void add(StrategyRole role, Strategy<?> strategy) {
		byRole.get(role).add(strategy);
	}

	private void remove(StrategyRole role, Strategy<?> strategy) {
		byRole.get(role).remove(strategy);
	}

	// one bind/unbind pair per role: DS needs a typed reference for each service interface

	@Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
	void addModelBackend(ModelBackend s) {
		add(StrategyRole.MODEL_BACKEND, s);
	}

	void removeModelBackend(ModelBackend s) {
		remove(StrategyRole.MODEL_BACKEND, s);
	}

	@Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
	void addSaeProvider(SaeProvider s) {
		add(StrategyRole.SAE_PROVIDER, s);
	}

	void removeSaeProvider(SaeProvider s) {
		remove(StrategyRole.SAE_PROVIDER, s);
	}

	@Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
	void addDirectionFinder(DirectionFinder<?> s) {
		add(StrategyRole.DIRECTION_FINDER, s);
	}

	void removeDirectionFinder(DirectionFinder<?> s) {
		remove(StrategyRole.DIRECTION_FINDER, s);
	}

	@Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
	void addFeatureCollector(FeatureCollector<?> s) {
		add(StrategyRole.FEATURE_COLLECTOR, s);
	}

	void removeFeatureCollector(FeatureCollector<?> s) {
		remove(StrategyRole.FEATURE_COLLECTOR, s);
	}

	@Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
	void addPruningStrategy(PruningStrategy<?> s) {
		add(StrategyRole.PRUNING_STRATEGY, s);
	}

	void removePruningStrategy(PruningStrategy<?> s) {
		remove(StrategyRole.PRUNING_STRATEGY, s);
	}

	@Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
	void addInteractionModel(InteractionModel<?> s) {
		add(StrategyRole.INTERACTION_MODEL, s);
	}

	void removeInteractionModel(InteractionModel<?> s) {
		remove(StrategyRole.INTERACTION_MODEL, s);
	}

	@Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
	void addRefusalJudge(RefusalJudge<?> s) {
		add(StrategyRole.REFUSAL_JUDGE, s);
	}

	void removeRefusalJudge(RefusalJudge<?> s) {
		remove(StrategyRole.REFUSAL_JUDGE, s);
	}

	@Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
	void addPromptSource(PromptSource s) {
		add(StrategyRole.PROMPT_SOURCE, s);
	}

	void removePromptSource(PromptSource s) {
		remove(StrategyRole.PROMPT_SOURCE, s);
	}
}
