package org.refusalscope.core.pipeline;

import org.refusalscope.api.Strategy;
import org.refusalscope.api.StrategyRole;
import org.refusalscope.core.json.Json;

import com.google.gson.JsonElement;

/**
 * A strategy with its settings converted from the run's JSON to the strategy's own settings type.
 *
 * @param <T> the strategy role interface
 */
public record ResolvedStrategy<T extends Strategy<?>>(T strategy, Object settings) {

	/** Finds strategies of a role by id (the registry in the product, a map in tests). */
	@FunctionalInterface
	public interface Lookup {
		Strategy<?> find(StrategyRole role, String id);
	}

	@SuppressWarnings("unchecked")
	public static <T extends Strategy<?>> ResolvedStrategy<T> resolve(Lookup lookup, StrategyRole role, String id,
			JsonElement settings) {
		Strategy<?> found = lookup.find(role, id);
		if(found == null) {
			throw new IllegalArgumentException("no " + role.id() + " strategy with id '" + id + "'");
		}
		Object converted;
		if(settings == null || settings.isJsonNull()) {
			converted = found.defaultSettings();
		} else {
			try {
				converted = Json.convert(settings, found.settingsType());
			} catch(RuntimeException e) {
				throw new IllegalArgumentException("settings of " + role.id() + " '" + id + "' do not fit "
						+ found.settingsType().getSimpleName() + ": " + e.getMessage());
			}
		}
		return new ResolvedStrategy<>((T) found, converted);
	}

	/** The settings as the raw type the strategy's methods take. */
	@SuppressWarnings("unchecked")
	public <S> S typedSettings() {
		return (S) settings;
	}
}
