package org.refusalscope.core.registry;

import org.refusalscope.api.StrategyRole;

/**
 * How a registered strategy is listed: by role and id, with its description, the bundle that contributed it and
 * its default settings as JSON.
 */
public record StrategyDescriptor(StrategyRole role, String id, String name, String description, String bundle,
		String settingsJson) {
}
