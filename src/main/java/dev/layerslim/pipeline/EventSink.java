package dev.layerslim.pipeline;

/** Receives events; implementations must be thread-safe (parallel steps emit from workers). */
@FunctionalInterface
public interface EventSink {
  void emit(Event event);

  /** Drops every event. */
  EventSink NONE = e -> { };
}
