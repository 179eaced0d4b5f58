/// The API described in OpenAPI 3.0 (served at `GET /openapi.json`), written by hand to match
/// `API`; a test checks that every path and status `API` answers is in it.
enum OpenAPI {
    static let document = #"""
{
  "openapi": "3.0.3",
  "info": {
    "title": "Descent model server",
    "version": "1",
    "description": "A model trained in Descent, answering predictions. Rows are given in the units of the original data: numbers as in the data file, categorical columns by value name, a text model's rows as strings."
  },
  "paths": {
    "/v1/predict": {
      "post": {
        "summary": "Predict for one or more rows",
        "requestBody": {
          "required": true,
          "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PredictRequest"},
            "example": {"inputs": [[5.1, 3.5, 1.4, 0.2]]}}}
        },
        "responses": {
          "200": {"description": "One prediction per row",
                  "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PredictResponse"}}}},
          "400": {"$ref": "#/components/responses/Error"},
          "413": {"$ref": "#/components/responses/Error"},
          "422": {"$ref": "#/components/responses/Error"},
          "405": {"$ref": "#/components/responses/Error"}
        }
      }
    },
    "/v1/model": {
      "get": {
        "summary": "The model: architecture, parameter count, input schema, training metrics",
        "responses": {"200": {"description": "The model", "content": {"application/json": {"schema": {"type": "object"}}}},
                      "405": {"$ref": "#/components/responses/Error"}}
      }
    },
    "/healthz": {
      "get": {
        "summary": "Whether the server answers",
        "responses": {"200": {"description": "It does", "content": {"application/json": {"schema": {"type": "object",
          "properties": {"status": {"type": "string"}}}}}},
                      "405": {"$ref": "#/components/responses/Error"}}
      }
    },
    "/openapi.json": {
      "get": {
        "summary": "This document",
        "responses": {"200": {"description": "OpenAPI 3.0", "content": {"application/json": {"schema": {"type": "object"}}}}}
      }
    }
  },
  "components": {
    "schemas": {
      "PredictRequest": {
        "type": "object",
        "required": ["inputs"],
        "properties": {
          "inputs": {
            "type": "array", "minItems": 1, "maxItems": 10000,
            "items": {"oneOf": [
              {"type": "array", "items": {"oneOf": [{"type": "number"}, {"type": "string"}]}},
              {"type": "string"}
            ]}
          }
        }
      },
      "PredictResponse": {
        "type": "object",
        "properties": {
          "predictions": {
            "type": "array",
            "items": {
              "type": "object",
              "properties": {
                "class": {"type": "string", "description": "The predicted class (classifiers)"},
                "probabilities": {"oneOf": [
                  {"type": "object", "additionalProperties": {"type": "number"},
                   "description": "Each class's probability (classifiers)"},
                  {"type": "array", "items": {"type": "number"},
                   "description": "The probability of each symbol of the answer when it was written (sequence models)"}
                ]},
                "answer": {"type": "array", "items": {"type": "string"},
                           "description": "The symbols a sequence model wrote after the given ones, likeliest first"},
                "score": {"type": "number", "description": "A margin classifier's score"},
                "value": {"type": "number", "description": "The predicted value (regression), in the data's units"}
              }
            }
          }
        }
      },
      "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {"error": {"type": "string"}, "row": {"type": "integer"}, "column": {"type": "string"}}
      }
    },
    "responses": {
      "Error": {"description": "What was wrong, and where",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    }
  }
}
"""#
}
