package org.refusalscope.headless.commands;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.refusalscope.api.StrategyRole;
import org.refusalscope.core.json.Json;
import org.refusalscope.core.registry.StrategyDescriptor;
import org.refusalscope.headless.CliContext;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "strategies", mixinStandardHelpOptions = true,
		description = "Lists every registered strategy (DS service) by role.")
public class StrategiesCommand implements Callable<Integer> {

	private final CliContext context;

	@Option(names = "--json", description = "Print one JSON object: role id -> [{id, name, description, bundle, settings}].")
	boolean json;

	public StrategiesCommand(CliContext context) {
		this.context = context;
	}

	@Override
	public Integer call() {
		Map<StrategyRole, List<StrategyDescriptor>> all = context.registry().describeAll();
		if(json) {
			JsonObject root = new JsonObject();
			for(Map.Entry<StrategyRole, List<StrategyDescriptor>> entry : all.entrySet()) {
				JsonArray list = new JsonArray();
				for(StrategyDescriptor d : entry.getValue()) {
					JsonObject item = new JsonObject();
					item.addProperty("id", d.id());
					item.addProperty("name", d.name());
					item.addProperty("description", d.description());
					item.addProperty("bundle", d.bundle());
					item.add("settings", JsonParser.parseString(d.settingsJson()));
					list.add(item);
				}
				root.add(entry.getKey().id(), list);
			}
			context.out().println(Json.write(root));
		} else {
			for(Map.Entry<StrategyRole, List<StrategyDescriptor>> entry : all.entrySet()) {
				context.out().println(entry.getKey().id() + ":");
				if(entry.getValue().isEmpty()) {
					context.out().println("  (none registered)");
				}
				for(StrategyDescriptor d : entry.getValue()) {
					context.out().printf("  %-16s %s  [%s]%n", d.id(), d.description(), d.bundle());
				}
			}
		}
		return 0;
	}
}
