/**
 * The `nodes` tool's parameter schema, as the 2026.9.6 `tool_describe`
 * answer shows it (`captures/s10-tool-describe.json`), minus `gatewayUrl`
 * and `gatewayToken`: this tool talks to its own gateway in-process, and a
 * model-chosen remote gateway would be a way out for data. Private to tools/.
 *
 * @module
 */

/** JSON Schema of the `nodes` arguments. */
export const NODES_TOOL_PARAMETERS: Record<string, unknown> = {
  "type": "object",
  "required": [
    "action",
  ],
  "properties": {
    "action": {
      "enum": [
        "status",
        "describe",
        "pending",
        "approve",
        "reject",
        "notify",
        "camera_snap",
        "camera_list",
        "camera_clip",
        "camera_ptz",
        "photos_latest",
        "screen_record",
        "screen_snapshot",
        "location_get",
        "notifications_list",
        "notifications_action",
        "device_status",
        "device_info",
        "device_permissions",
        "device_health",
        "which",
        "invoke",
      ],
      "type": "string",
    },
    "timeoutMs": {
      "type": "integer",
      "minimum": 1,
    },
    "node": {
      "type": "string",
      "description":
        "Node ID, name, or IP. Required for describe and node-targeted actions; use status to discover nodes.",
    },
    "requestId": {
      "type": "string",
    },
    "title": {
      "type": "string",
    },
    "body": {
      "type": "string",
    },
    "sound": {
      "type": "string",
    },
    "priority": {
      "enum": [
        "passive",
        "active",
        "timeSensitive",
      ],
      "type": "string",
    },
    "delivery": {
      "enum": [
        "system",
        "overlay",
        "auto",
      ],
      "type": "string",
    },
    "facing": {
      "enum": [
        "front",
        "back",
        "both",
      ],
      "type": "string",
      "description": "camera_snap: front/back/both; camera_clip: front/back only.",
    },
    "maxWidth": {
      "type": "integer",
      "minimum": 1,
    },
    "quality": {
      "type": "number",
      "minimum": 0,
      "maximum": 1,
    },
    "delayMs": {
      "type": "integer",
      "minimum": 0,
    },
    "deviceId": {
      "type": "string",
      "description":
        "For camera_ptz, use a camera_list devices[].id value as deviceId; it is required and must not be guessed.",
    },
    "ptzOperation": {
      "enum": [
        "status",
        "set",
        "move",
        "home",
      ],
      "type": "string",
      "description":
        "camera_ptz operation. Call status before any control operation. status and home accept no axes; set uses absolute axes; move uses axis deltas. Never guess unsupported axes.",
    },
    "panDegrees": {
      "type": "number",
      "description":
        "camera_ptz pan: set uses absolute degrees; move uses a degree delta. Omit when unsupported.",
    },
    "tiltDegrees": {
      "type": "number",
      "description":
        "camera_ptz tilt: set uses absolute degrees; move uses a degree delta. Omit when unsupported.",
    },
    "zoomPercent": {
      "type": "number",
      "description":
        "camera_ptz zoom: set uses absolute percent; move uses a percentage-point delta. Omit when unsupported.",
    },
    "limit": {
      "type": "integer",
      "minimum": 1,
      "maximum": 20,
    },
    "duration": {
      "type": "string",
    },
    "durationMs": {
      "type": "integer",
      "minimum": 1,
      "maximum": 300000,
    },
    "includeAudio": {
      "type": "boolean",
    },
    "fps": {
      "type": "number",
      "exclusiveMinimum": 0,
    },
    "screenIndex": {
      "type": "integer",
      "minimum": 0,
    },
    "outPath": {
      "type": "string",
    },
    "maxAgeMs": {
      "type": "integer",
      "minimum": 0,
    },
    "locationTimeoutMs": {
      "type": "integer",
      "minimum": 1,
    },
    "desiredAccuracy": {
      "enum": [
        "coarse",
        "balanced",
        "precise",
      ],
      "type": "string",
    },
    "notificationAction": {
      "enum": [
        "open",
        "dismiss",
        "reply",
      ],
      "type": "string",
    },
    "notificationKey": {
      "type": "string",
    },
    "notificationReplyText": {
      "type": "string",
    },
    "bins": {
      "type": "array",
      "items": {
        "type": "string",
        "minLength": 1,
      },
      "minItems": 1,
      "maxItems": 64,
      "description": "which: executable names to resolve on the selected node.",
    },
    "invokeCommand": {
      "type": "string",
    },
    "invokeParamsJson": {
      "type": "string",
    },
    "invokeTimeoutMs": {
      "type": "integer",
      "minimum": 1,
    },
  },
};
