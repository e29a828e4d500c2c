# For users with Docker (docker compose up); the tests never need it.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/Micromastery.Hub -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /data
COPY --from=build /app /app
ENV ASPNETCORE_URLS=http://+:5080
EXPOSE 5080
ENTRYPOINT ["dotnet", "/app/Micromastery.Hub.dll", "--contentRoot", "/data"]
